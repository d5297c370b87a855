// "Test destination" as the panel runs it: the outbound policy checks the destination's host
// again at connect time, then the destination itself writes, reads back and deletes a probe
// object (`@steward/agent/backups`, loaded with the first test). A node's directory is tested
// by its agent (the backup.destination.test operation), when the caller manages nodes.
import { backupDestinationTestOutput, type OpResult } from "@steward/contracts/agent";
import {
  type DestinationSettings,
  type DestinationSettingsOf,
  type DestinationTest,
  destinationSecrets,
  destinationSettings,
} from "@steward/contracts/backups";
import type { OutboundPolicy } from "@steward/contracts/net";
import type { Secrets } from "../../crypto/secrets.ts";
import { type FieldTarget, refuseFields } from "../../lib/outbound.ts";
import type { DestinationRow } from "./repo.ts";

/** A destination's whole settings: the stored ones with its secrets opened from their seal. */
export const openedSettings = (row: DestinationRow, secrets: Secrets): DestinationSettings =>
  destinationSettings.parse({
    ...JSON.parse(row.settings),
    ...JSON.parse(secrets.open(row.secrets_sealed)),
  });

/** The outbound targets of a destination's settings, by input field. */
export function destinationTargets(settings: DestinationSettings): FieldTarget[] {
  switch (settings.kind) {
    case "local":
      return [];
    case "s3":
      return [{ field: "settings.endpoint", url: settings.endpoint }];
    case "sftp":
    case "ftp":
      return [{ field: "settings.host", url: [settings.host, settings.port] }];
  }
}

/** The settings split into what is stored as is and the secret fields, sealed together. */
export function splitSecrets(settings: DestinationSettings) {
  const open: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  const names = destinationSecrets[settings.kind];
  for (const [key, value] of Object.entries(settings))
    if (names.includes(key)) secret[key] = value;
    else open[key] = value;
  return { open, secret };
}

const result = (
  ok: boolean,
  step: DestinationTest["step"],
  message: string | null,
): DestinationTest => ({
  ok,
  step,
  message: message?.slice(0, 1000) ?? null,
  at: new Date().toISOString(),
});

/** Runs an operation on a node's agent (the panel's agent client). */
export type RunOnNode = (
  nodeId: string,
  name: "backup.destination.test" | "backup.destination.list" | "backup.destination.delete",
  input: unknown,
  opts: { signal: AbortSignal },
) => Promise<OpResult>;

/** "Test destination" of a node's directory, by the node's agent. */
async function testOnNode(
  settings: DestinationSettingsOf<"local">,
  run: RunOnNode,
): Promise<DestinationTest> {
  let answer: OpResult;
  try {
    answer = await run(
      settings.nodeId,
      "backup.destination.test",
      { settings },
      {
        signal: AbortSignal.timeout(60_000),
      },
    );
  } catch (error) {
    return result(
      false,
      "node",
      `the node's agent could not be asked: ${(error as Error).message}`,
    );
  }
  if (answer.status !== "ok")
    return result(false, "node", answer.error?.message ?? `the operation ${answer.status}`);
  const outcome = backupDestinationTestOutput.parse(answer.output);
  return result(outcome.ok, outcome.step ?? null, outcome.message ?? null);
}

/**
 * "Test destination". `onNode` runs a node directory's test on its agent; null (the caller
 * does not manage nodes) keeps it untested.
 */
export async function runDestinationTest(
  settings: DestinationSettings,
  policy: OutboundPolicy,
  onNode: RunOnNode | null,
): Promise<DestinationTest> {
  if (settings.kind === "local")
    return onNode
      ? testOnNode(settings, onNode)
      : result(
          false,
          "untested",
          "a node's directory is tested by its agent when someone who manages nodes asks",
        );
  const refused = await refuseFields(destinationTargets(settings), policy);
  if (refused) return result(false, "policy", `${refused.field}: ${refused.message}`);
  const { openDestination, testDestination } = await import("@steward/agent/backups");
  let destination: Awaited<ReturnType<typeof openDestination>> | null = null;
  try {
    destination = openDestination(settings);
    const outcome = await testDestination(destination);
    return result(outcome.ok, outcome.step ?? null, outcome.message ?? null);
  } catch (error) {
    return result(false, "write", (error as Error).message);
  } finally {
    await destination?.close();
  }
}
