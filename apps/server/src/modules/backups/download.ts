// An artifact through the panel as an HTTP download, never buffered: the panel reads it from
// an S3, SFTP or FTP destination itself (the destination's client of `@steward/agent/backups`,
// the outbound policy checked first, as for "test destination"), from a node's directory
// through the node's agent (`GET /v1/backup-artifacts/read`, the body streamed with
// backpressure), as stored or decrypted and decompressed in the stream (`restoreArtifact`:
// the SHA-256 and every chunk checked on the way; a failure past the first byte cuts the
// answer, so a client never gets a clean end of a bad artifact).
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DestinationSettingsOf } from "@steward/contracts/backups";
import type { AgentClient } from "../../agents/client.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import { conflict, invalid } from "../../lib/errors.ts";
import { refuseFields } from "../../lib/outbound.ts";
import { monitorPolicy } from "../monitors/policy.ts";
import { destinationTargets, openedSettings } from "./destination-test.ts";
import type { PlanRow } from "./plans-repo.ts";
import type { DestinationRow } from "./repo.ts";
import type { ArtifactRow } from "./runs-repo.ts";

export type PolicySettings = Parameters<typeof monitorPolicy>[0];

export interface Download {
  filename: string;
  stream: Readable;
}

/** A name safe in a Content-Disposition header (artifact names are already of this set). */
export const safeFilename = (name: string) => name.replace(/[^A-Za-z0-9._+-]/g, "_").slice(0, 200);

type Reader = { get(name: string): Promise<Readable>; close(): Promise<void> };

/** A node's directory, read through its agent: one streamed request per object. */
function nodeDirectory(
  agents: Pick<AgentClient, "stream">,
  settings: DestinationSettingsOf<"local">,
): Reader {
  return {
    get: (name) =>
      agents.stream(settings.nodeId, {
        path: `/v1/backup-artifacts/read?${new URLSearchParams({ path: settings.path, name })}`,
        sub: "backup-read",
      }),
    close: async () => undefined,
  };
}

/** The first bytes (or the end), or the error that came before them. */
function firstBytes(stream: PassThrough) {
  return new Promise<void>((resolve, reject) => {
    stream.once("readable", resolve);
    stream.once("end", resolve);
    stream.once("error", reject);
  });
}

export async function openDownload(
  deps: {
    secrets: Secrets;
    settings: PolicySettings;
    agents: () => Promise<Pick<AgentClient, "stream">>;
  },
  row: ArtifactRow,
  destinationRow: DestinationRow,
  plan: PlanRow | undefined,
  o: { decrypt: boolean; identity: string | undefined },
): Promise<Download> {
  const settings = openedSettings(destinationRow, deps.secrets);
  if (settings.kind !== "local") {
    const refused = await refuseFields(
      destinationTargets(settings),
      monitorPolicy(deps.settings, destinationRow.account_id),
    );
    if (refused) throw conflict(`the destination cannot be reached: ${refused.message}`);
  }
  let privateKey: string | undefined;
  if (o.decrypt && row.name.endsWith(".enc")) {
    privateKey =
      o.identity ??
      (plan?.private_key_sealed ? deps.secrets.open(plan.private_key_sealed) : undefined);
    if (!privateKey)
      throw invalid(
        "identity",
        "the artifact is encrypted for the plan's recipients: give one of their private keys",
      );
  }
  const { openDestination, restoreArtifact } = await import("@steward/agent/backups");
  const destination: Reader =
    settings.kind === "local"
      ? nodeDirectory(await deps.agents(), settings)
      : openDestination(settings);
  if (!o.decrypt) {
    const stream = await destination.get(row.name).catch(async (error: Error) => {
      await destination.close();
      throw conflict(`the artifact cannot be read: ${error.message}`);
    });
    stream.once("close", () => void destination.close());
    return { filename: safeFilename(row.name), stream };
  }
  const out = new PassThrough();
  restoreArtifact({
    destination,
    name: row.name,
    ...(privateKey ? { privateKey } : {}),
    sink: (plain) => pipeline(plain, out),
  })
    .catch((error: Error) => out.destroy(error))
    .finally(() => void destination.close());
  try {
    await firstBytes(out);
  } catch (error) {
    const message = (error as Error).message;
    if (/private key|data key/.test(message)) throw invalid("identity", message);
    throw conflict(`the artifact cannot be read: ${message}`);
  }
  return { filename: safeFilename(row.name.replace(/\.zst(\.enc)?$/, "")), stream: out };
}
