// The end of a `backup.run` task: the run's row, one artifact per destination that has it, the
// artifacts retention deleted and the run's event (backup.succeeded|partial|failed), written
// in one transaction, and a last line in the task's log; `record` turns a run's answer (from
// a node's backup.run, or the panel's own export) into that.
import type { BackupOutcome, BackupRunOutput } from "@steward/contracts/backups";
import { type HandlerContext, PermanentError } from "../../engine/types.ts";
import { newId } from "../../lib/ids.ts";
import { recordRunEvent } from "./events.ts";
import type { PlanRow } from "./plans-repo.ts";
import type { BackupTaskDeps, Prepared, pruneOf } from "./run-input.ts";
import * as runs from "./runs-repo.ts";

export const firstError = (outcomes: BackupOutcome[]) =>
  outcomes.find((o) => o.error !== null)?.error ?? null;

export interface Finished {
  status: "succeeded" | "partial" | "failed";
  error: string | null;
  outcomes: BackupOutcome[];
  output?: BackupRunOutput;
  deleted?: string[];
}

/** The run's row, its artifacts, what retention deleted and its event, in one transaction. */
export async function finish(
  deps: BackupTaskDeps,
  ctx: Pick<HandlerContext<unknown>, "log">,
  run: runs.RunRow,
  plan: PlanRow | undefined,
  f: Finished,
) {
  const now = Date.now();
  const metadata = f.output?.metadata ?? null;
  await deps.db.db.transaction().execute(async (trx) => {
    await runs.updateRun(trx, run.id, {
      status: f.status,
      error: f.error?.slice(0, 2000) ?? null,
      outcomes: runs.outcomesJson(f.outcomes),
      source_bytes: metadata?.sourceBytes ?? null,
      bytes: metadata?.bytes ?? null,
      finished_at: now,
    });
    if (metadata)
      await runs.insertArtifacts(
        trx,
        f.outcomes
          .filter((o) => o.error === null)
          .map((o) => ({
            id: newId(runs.ARTIFACT_ID, now),
            account_id: run.account_id,
            run_id: run.id,
            plan_id: run.plan_id,
            source_id: run.source_id,
            destination_id: o.id,
            name: run.artifact,
            bytes: metadata.bytes,
            sha256: metadata.sha256,
            source_description: run.description,
            verified: 0,
            verified_at: null,
            deleted_at: null,
            created_at: now,
          })),
      );
    await runs.markDeleted(trx, f.deleted ?? [], now);
    if (plan)
      await recordRunEvent(trx, plan, run, {
        status: f.status,
        bytes: metadata?.bytes ?? null,
        error: f.error,
      });
  });
  ctx.log[f.status === "succeeded" ? "info" : "error"](
    `backup ${f.status}${f.error ? `: ${f.error}` : ""}${f.deleted?.length ? ` (retention deleted ${f.deleted.length} older artifact(s))` : ""}`,
  );
}

/**
 * Records a run's answer: every destination's outcome (those refused before it began too), the
 * artifacts, what retention deleted, the event; a failed run fails its task.
 */
export async function record(
  deps: BackupTaskDeps,
  ctx: Pick<HandlerContext<unknown>, "log">,
  run: runs.RunRow,
  plan: PlanRow,
  prepared: Prepared,
  prune: Awaited<ReturnType<typeof pruneOf>>,
  output: BackupRunOutput,
) {
  const outcomes = [...output.destinations, ...prepared.refused];
  const status =
    output.status === "succeeded" && prepared.refused.length > 0 ? "partial" : output.status;
  const deleted = output.pruned.flatMap((p) => {
    const ids = prune.find((c) => c.destinationId === p.destinationId)?.ids;
    return p.names.flatMap((name) => (ids?.has(name) ? [ids.get(name) as string] : []));
  });
  await finish(deps, ctx, run, plan, {
    status,
    error: output.error ?? firstError(outcomes),
    outcomes,
    output,
    deleted,
  });
  if (status === "failed")
    throw new PermanentError(output.error ?? firstError(outcomes) ?? "the backup failed");
  return { status, bytes: output.metadata?.bytes ?? null, pruned: deleted.length };
}
