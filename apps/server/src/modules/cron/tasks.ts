// The cron module's task kinds. cron.apply writes an account's cron.d file on a node from its
// rows (one task per account and node, its concurrency key; a change while one waits reuses
// it); cron.run runs one job's command now as its user through the agent, its output in the
// task's log and its exit status on the run (non-zero fails the task).
import type { agent } from "@steward/contracts";
import type { CronApplyInput, CronEnv } from "@steward/contracts/hosting";
import { z } from "zod";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import { findUser, usersOn } from "../system-users/repo.ts";
import type { CallOperation } from "../system-users/tasks.ts";
import { called } from "./called.ts";
import { collectTask } from "./collect.ts";
import * as repo from "./repo.ts";

export const CRON_APPLY = "cron.apply";
export const CRON_RUN = "cron.run";
/** A run now ends after this long (the agent kills the command). */
export const RUN_TIMEOUT_SECONDS = 600;

const applyPayload = z.strictObject({ accountId: z.string(), nodeId: z.string() });
const runPayload = z.strictObject({ jobId: z.string(), runId: z.string() });

/** The operation's input for the rows of an account on a node (null: no main user there). */
export async function applyInput(
  db: Db,
  secrets: Secrets,
  accountId: string,
  rows: repo.CronJobRow[],
): Promise<CronApplyInput | null> {
  const k = db.db;
  const users = rows[0] ? await usersOn(k, accountId, rows[0].node_id) : [];
  const main = users.find((u) => u.kind === "main");
  if (!main) return null;
  const names = new Map(users.map((u) => [u.id, u.name]));
  const used = new Set(rows.map((r) => r.system_user_id));
  const pending = users.filter((u) => used.has(u.id) && u.status === "pending");
  // a user made a moment ago: its sysusers.apply comes first (this task is retried)
  if (pending.length)
    throw new Error(`waiting for the system user ${pending[0]?.name} to be applied on the node`);
  return {
    id: accountId,
    main: main.name,
    jobs: rows
      .filter((r) => r.status !== "deleting" && Number(r.enabled) === 1)
      .map((r) => ({
        id: r.id,
        schedule: r.schedule,
        user: names.get(r.system_user_id) ?? "",
        command: r.command,
        env: JSON.parse(r.env) as CronEnv,
        ...(r.heartbeat_token ? { heartbeatToken: secrets.open(r.heartbeat_token) } : {}),
      })),
  };
}

interface CronTaskDeps {
  db: Db;
  call: CallOperation;
  secrets: Secrets;
}

function applyTask({ db, call, secrets }: CronTaskDeps): HandlerDef<typeof applyPayload> {
  const k = db.db;
  return {
    kind: CRON_APPLY,
    description: "writes an account's cron jobs on a node (/etc/cron.d/steward-<account>)",
    payload: applyPayload,
    timeoutMs: 2 * 60_000,
    maxAttempts: 5,
    backoff: { baseMs: 5_000, maxMs: 300_000 },
    concurrency: { key: (p) => `cron:${p.accountId}:${p.nodeId}`, limit: 1 },
    async run(ctx) {
      const { accountId, nodeId } = ctx.task.payload;
      const rows = await repo.jobsOn(k, accountId, nodeId);
      if (!rows.length) {
        ctx.log.info("the account has no cron jobs on this node: nothing to do");
        return null;
      }
      try {
        const input = await applyInput(db, secrets, accountId, rows);
        if (!input) throw new PermanentError("the account has no main system user on this node");
        ctx.log.info(`writing ${input.jobs.length} job(s) as ${input.main}'s account`);
        const result = await called(call, nodeId, "cron.apply", input, ctx);
        await repo.settle(k, rows, { status: "applied", error: null });
        const out = result.output as agent.OpOutput<"cron.apply">;
        ctx.log.info(result.changed ? `wrote ${out.file}` : `${out.file} already as asked`);
        return { changed: result.changed, file: out.file, jobs: out.jobs };
      } catch (err) {
        if (ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError)
          await repo.settle(k, rows, {
            status: "failed",
            error: err instanceof Error ? err.message : String(err),
          });
        throw err;
      }
    },
  };
}

function runTask({ db, call }: { db: Db; call: CallOperation }): HandlerDef<typeof runPayload> {
  const k = db.db;
  return {
    kind: CRON_RUN,
    description: "runs a cron job's command now as its system user; the output in the log",
    payload: runPayload,
    timeoutMs: (RUN_TIMEOUT_SECONDS + 60) * 1000,
    maxAttempts: 1,
    async run(ctx) {
      const { jobId, runId } = ctx.task.payload;
      const job = await repo.findJob(k, jobId);
      const user = job ? await findUser(k, job.system_user_id) : undefined;
      const main = job
        ? (await usersOn(k, job.account_id, job.node_id)).find((u) => u.kind === "main")
        : undefined;
      try {
        if (!job || !user || !main) throw new PermanentError("the job or its user is gone");
        ctx.log.info(`running as ${user.name}: ${job.command}`);
        const result = await called(
          call,
          job.node_id,
          "cron.run",
          {
            main: main.name,
            user: user.name,
            command: job.command,
            env: JSON.parse(job.env) as CronEnv,
            timeoutSeconds: RUN_TIMEOUT_SECONDS,
          },
          ctx,
        );
        const out = result.output as agent.OpOutput<"cron.run">;
        for (const line of out.stdout.split("\n").filter(Boolean)) ctx.log.info(line);
        for (const line of out.stderr.split("\n").filter(Boolean)) ctx.log.warn(line);
        ctx.log.info(`exit status ${out.exitCode} as uid ${out.uid} in ${out.durationMs} ms`);
        await repo.finishRun(k, runId, {
          state: out.exitCode === 0 ? "done" : "failed",
          exit_code: out.exitCode,
        });
        if (out.exitCode !== 0)
          throw new PermanentError(`the command exited with status ${out.exitCode}`);
        return { exitCode: out.exitCode, uid: out.uid, durationMs: out.durationMs };
      } catch (err) {
        if (!(err instanceof PermanentError && /exited with status/.test(err.message)))
          await repo.finishRun(k, runId, { state: "failed", exit_code: null });
        throw err;
      }
    },
  };
}

export function registerCronTasks(registry: Registry, deps: CronTaskDeps) {
  registry.register(applyTask(deps));
  registry.register(runTask(deps));
  registry.register(collectTask(deps));
}
