// cron.collect (docs/hosting.md#scheduled-runs-reported-back): the node's scheduled cron runs,
// which its cron-exec keeps in a root-only spool, recorded in cron_runs (kind "scheduled"), then
// acknowledged so the node removes them. Queued by the node's heartbeat when the agent says
// runs are waiting (one per node at a time); a run is recorded once (its spool entry), and only
// for a job of that account on that node (the spool is the node's word, not the panel's).
import type { agent } from "@steward/contracts";
import { CRON_RUN_TAIL_MAX } from "@steward/contracts/hosting";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Engine } from "../../engine/engine.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { newId } from "../../lib/ids.ts";
import type { CallOperation } from "../system-users/tasks.ts";
import { called } from "./called.ts";
import * as repo from "./repo.ts";

export const CRON_COLLECT = "cron.collect";
const payload = z.strictObject({ nodeId: z.string() });
/** runs asked per call; a node with more is asked again at once */
const BATCH = 100;

type Run = agent.OpOutput<"cron.collect">["runs"][number];

/** stdout then stderr, the end of each, as the panel keeps it. */
const outputOf = (r: Run) => {
  const tail = (t: string) => t.slice(-CRON_RUN_TAIL_MAX);
  return r.stderr
    ? `${tail(r.stdout)}${r.stdout ? "\n" : ""}[stderr]\n${tail(r.stderr)}`
    : tail(r.stdout);
};

/** Queues the node's cron.collect (an active one is reused). */
export async function enqueueCollect(engine: Pick<Engine, "enqueue">, nodeId: string) {
  await engine.enqueue({
    kind: CRON_COLLECT,
    payload: { nodeId },
    target: { type: "node", id: nodeId },
  });
}

export function collectTask({
  db,
  call,
}: {
  db: Db;
  call: CallOperation;
}): HandlerDef<typeof payload> {
  const k = db.db;
  return {
    kind: CRON_COLLECT,
    description: "records the scheduled cron runs a node reported (its cron-exec's spool)",
    payload,
    timeoutMs: 2 * 60_000,
    maxAttempts: 3,
    backoff: { baseMs: 5_000, maxMs: 60_000 },
    unique: (p) => p.nodeId,
    system: true,
    async run(ctx) {
      const { nodeId } = ctx.task.payload;
      let ack: string[] = [];
      let recorded = 0;
      let ignored = 0;
      for (let round = 0; round < 50; round++) {
        const result = await called(call, nodeId, "cron.collect", { ack, limit: BATCH }, ctx);
        const out = result.output as agent.OpOutput<"cron.collect">;
        if (!out.runs.length) {
          ack = [];
          break;
        }
        for (const r of out.runs) {
          const [job] = await repo.jobIdsOn(k, r.accountId, nodeId, [r.jobId]);
          if (!job) {
            ignored++;
            continue;
          }
          const failed = r.exitCode !== 0;
          const added = await repo.recordScheduledRun(k, {
            id: newId("cronrun"),
            job_id: r.jobId,
            account_id: r.accountId,
            task_id: ctx.task.id,
            state: failed ? "failed" : "done",
            exit_code: r.exitCode,
            created_at: r.startedAt,
            finished_at: r.startedAt + r.durationMs,
            kind: "scheduled",
            spool_id: r.id,
            uid: r.uid,
            duration_ms: r.durationMs,
            output: outputOf(r),
            error: r.error ?? (r.heartbeat === "failed" ? `heartbeat: ${r.heartbeatError}` : null),
          });
          if (added) recorded++;
          if (added && failed)
            ctx.log.warn(
              `job ${r.jobId}: ${r.error ?? `exit status ${r.exitCode}`} (as ${r.user || "?"})`,
            );
        }
        ack = out.runs.map((r) => r.id);
      }
      if (ack.length) await called(call, nodeId, "cron.collect", { ack, limit: 0 }, ctx);
      ctx.log.info(
        `recorded ${recorded} scheduled run(s)${ignored ? `, ${ignored} of no job here` : ""}`,
      );
      return { recorded, ignored };
    },
  };
}
