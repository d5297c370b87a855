// What a backup run answers (BackupRunOutput), wherever it ran: the agent's backup.run
// operation, or the panel for Steward's own backup. Retention deletes what the panel chose
// (each artifact, then its sidecar) destination by destination, only after a successful run.
import {
  type BackupRunInput,
  type BackupRunOutput,
  SIDECAR_SUFFIX,
} from "@steward/contracts/backups";
import type { Destination } from "./destination.ts";
import type { BackupResult } from "./pipeline.ts";

export async function prune(
  chosen: BackupRunInput["prune"],
  destinations: { id: string; destination: Destination }[],
) {
  const out: BackupRunOutput["pruned"] = [];
  for (const { destinationId, names } of chosen) {
    const destination = destinations.find((d) => d.id === destinationId)?.destination;
    const deleted: string[] = [];
    let error: string | null = destination ? null : "not a destination of this run";
    for (const name of destination ? names : [])
      try {
        await destination?.delete(name);
        await destination?.delete(`${name}${SIDECAR_SUFFIX}`);
        deleted.push(name);
      } catch (e) {
        error = `${name}: ${(e as Error).message}`;
        break;
      }
    out.push({ destinationId, names: deleted, error });
  }
  return out;
}

export const runOutput = (
  result: BackupResult,
  pruned: BackupRunOutput["pruned"],
  warnings: string[],
): BackupRunOutput => ({
  pruned,
  status: result.status,
  error: result.error,
  metadata: result.metadata,
  destinations: result.destinations.map((o) => ({
    id: o.id,
    written: o.written,
    bytes: o.stored?.bytes ?? null,
    // the pipeline's digest of the bytes the tee handed it, once it stored every one of them
    sha256: o.stored && o.stored.bytes === result.metadata?.bytes ? result.metadata.sha256 : null,
    error: o.error,
  })),
  warnings,
});
