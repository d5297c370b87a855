// Cron files from before (docs/hosting.md#cron-files-from-before): an agent's health names the
// accounts whose cron.d file does not run its cron-exec (lines written before scheduled runs
// were reported, which run the commands directly, unreported). Each such account's jobs on the
// node are applied again, once: only when all of them are `applied` (none waits for or is in
// an apply, none failed), and they are `pending` until the queued cron.apply settles them, so
// the next heartbeats queue nothing more. A failed apply stays failed, as any other, until the
// account's jobs change. An account without jobs on the node is left alone.
import { cronApplyInput } from "@steward/contracts/hosting";
import type { Db } from "../../db/open.ts";
import type { Engine } from "../../engine/engine.ts";
import * as repo from "./repo.ts";
import { CRON_APPLY } from "./tasks.ts";

/** Queues cron.apply for each reported account whose jobs are all applied; answers how many. */
export async function reapplyStale(
  deps: { db: Db; engine: Pick<Engine, "enqueue"> },
  nodeId: string,
  accounts: readonly string[],
): Promise<number> {
  let queued = 0;
  const due = (rows: repo.CronJobRow[]) =>
    rows.length > 0 && rows.every((r) => r.status === "applied");
  for (const accountId of accounts) {
    // the node's word: only an account id can name a panel's account
    if (!cronApplyInput.shape.id.safeParse(accountId).success) continue;
    // a look first: a file the panel has no jobs of is reported at every heartbeat
    if (!due(await repo.jobsOn(deps.db.db, accountId, nodeId))) continue;
    queued += await deps.db.db.transaction().execute(async (trx) => {
      const rows = await repo.jobsOn(trx, accountId, nodeId);
      const first = rows[0];
      if (!first || !due(rows)) return 0;
      const { task } = await deps.engine.enqueue(
        {
          kind: CRON_APPLY,
          payload: { accountId, nodeId },
          target: { type: "cron-job", id: first.id },
          accountId,
        },
        trx,
      );
      await repo.markReapplying(
        trx,
        rows.map((r) => r.id),
        task.id,
      );
      return 1;
    });
  }
  return queued;
}
