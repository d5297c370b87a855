// "Test destination" as the panel runs it: the outbound policy checks the destination's host
// again at connect time, then the destination itself writes, reads back and deletes a probe
// object (`@steward/agent/backups`, loaded with the first test). A node's directory is tested
// by its agent (not asked yet by this version of the panel).
import {
  type DestinationSettings,
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

export async function runDestinationTest(
  settings: DestinationSettings,
  policy: OutboundPolicy,
): Promise<DestinationTest> {
  if (settings.kind === "local")
    return result(
      false,
      "untested",
      "a node's directory is tested by its agent, which this version of the panel does not ask yet",
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
