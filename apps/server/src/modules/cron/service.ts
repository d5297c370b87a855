// Cron jobs of hosting accounts (issue 19, docs/hosting.md#cron-jobs): an account's admins
// create jobs that run as one of its system users on that user's node, change, delete and run
// them now; its readers see them and their last run. Every change is a row first, then the
// account's cron.apply task on the node (tasks.ts), which writes its cron.d file.
import type { CronJob, CronJobCreate, CronJobUpdate } from "@steward/contracts/hosting";
import type { Kysely } from "kysely";
import { enforce } from "../../access/decision.ts";
import { cronJobs as policy } from "../../access/policies/cron.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { findUser } from "../system-users/repo.ts";
import {
  addHeartbeat,
  dropHeartbeat,
  type HeartbeatDeps,
  heartbeatTiming,
  retimeHeartbeat,
} from "./heartbeat.ts";
import * as repo from "./repo.ts";
import { CRON_APPLY, CRON_RUN } from "./tasks.ts";

interface Deps extends HeartbeatDeps {
  db: Db;
  engine: Engine;
}

/** What an audit event says of a job. */
const described = (
  r: Pick<repo.CronJobRow, "schedule" | "command" | "env" | "enabled" | "heartbeat_monitor_id">,
) => ({
  schedule: r.schedule,
  command: r.command,
  env: JSON.parse(r.env) as unknown,
  enabled: Number(r.enabled) === 1,
  heartbeat: r.heartbeat_monitor_id !== null,
});

export function createCronService(deps: Deps) {
  const { db, engine } = deps;
  const k = db.db;

  async function mustFind(ctx: Ctx, id: string) {
    const row = await repo.findJob(k, id);
    if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`cron job ${id}`);
    return row;
  }

  /** Rows as the API answers them: the user's name and the last run. */
  async function views(rows: repo.CronJobRow[]) {
    const runs = await repo.runsById(
      k,
      rows.flatMap((r) => (r.last_run_id ? [r.last_run_id] : [])),
    );
    const users = new Map<string, string>();
    for (const id of new Set(rows.map((r) => r.system_user_id)))
      users.set(id, (await findUser(k, id))?.name ?? "(deleted)");
    return rows.map((r) =>
      repo.toCronJob(
        r,
        users.get(r.system_user_id) ?? "",
        r.last_run_id ? runs.get(r.last_run_id) : undefined,
      ),
    );
  }
  const view = async (row: repo.CronJobRow) => (await views([row]))[0] as CronJob;
  const fresh = async (id: string) => view((await repo.findJob(k, id)) as repo.CronJobRow);

  /** Queues the account's cron.apply on the node (a waiting one is reused); marks the row's task. */
  async function enqueueApply(trx: Kysely<Database>, row: repo.CronJobRow) {
    const { task } = await engine.enqueue(
      {
        kind: CRON_APPLY,
        payload: { accountId: row.account_id, nodeId: row.node_id },
        target: { type: "cron-job", id: row.id },
        accountId: row.account_id,
        bringForward: true,
      },
      trx,
    );
    await repo.updateJob(trx, row.id, { task_id: task.id });
  }

  const audit = (
    d: Kysely<Database>,
    ctx: Ctx,
    verb: string,
    row: repo.CronJobRow,
    diff: unknown,
  ) =>
    recordAudit(d, ctx, {
      action: `cron-job.${verb}`,
      targetType: "cron-job",
      targetId: row.id,
      accountId: row.account_id,
      diff,
    });

  return {
    mustFind,

    async list(ctx: Ctx, f: { account?: string; limit: number; cursor?: string }) {
      const scope = { where: policy.listScope(ctx), walks: policy.listWalks(ctx) };
      const page = await repo.listJobs(k, scope, f);
      return { items: await views(page.items), nextCursor: page.nextCursor };
    },

    get: async (ctx: Ctx, id: string) => view(await mustFind(ctx, id)),

    async create(ctx: Ctx, input: CronJobCreate) {
      if (!policy.canListIn(ctx, input.account).allowed) throw notFound(`account ${input.account}`);
      enforce(ctx, policy.canCreateIn(ctx, input.account));
      const user = await findUser(k, input.systemUser);
      // another account's user reads as no user at all
      if (!user || user.account_id !== input.account || user.status === "deleting")
        throw invalid("systemUser", "must be a system user of the account");
      const on = await repo.jobsOn(k, input.account, user.node_id);
      if (on.length >= repo.MAX_PER_NODE)
        throw conflict(
          `an account keeps at most ${repo.MAX_PER_NODE} cron jobs per node`,
          "account",
        );
      if (input.heartbeat) heartbeatTiming(input.schedule); // a 400 before anything is made
      const now = Date.now();
      const row: repo.CronJobRow = {
        id: newId("cron"),
        account_id: input.account,
        node_id: user.node_id,
        system_user_id: user.id,
        schedule: input.schedule,
        command: input.command,
        env: JSON.stringify(input.env),
        enabled: input.enabled ? 1 : 0,
        status: "pending",
        last_error: null,
        task_id: null,
        last_run_id: null,
        heartbeat_monitor_id: null,
        heartbeat_token: null,
        created_at: now,
        updated_at: now,
      };
      if (input.heartbeat) Object.assign(row, await addHeartbeat(deps, ctx, row));
      await k.transaction().execute(async (trx) => {
        await repo.insertJob(trx, row);
        await enqueueApply(trx, row);
        await audit(trx, ctx, "create", row, { after: { ...described(row), user: user.name } });
      });
      return fresh(row.id);
    },

    async update(ctx: Ctx, id: string, input: CronJobUpdate) {
      const row = await mustFind(ctx, id);
      enforce(ctx, policy.canManage(ctx, row));
      if (row.status === "deleting") throw conflict("the job is being deleted");
      const schedule = input.schedule ?? row.schedule;
      const monitor = row.heartbeat_monitor_id;
      const heartbeat = input.heartbeat ?? monitor !== null;
      if (heartbeat) heartbeatTiming(schedule); // a 400 before anything changes
      const next = {
        schedule,
        command: input.command ?? row.command,
        env: input.env ? JSON.stringify(input.env) : row.env,
        enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
        status: "pending" as const,
        updated_at: Math.max(Date.now(), Number(row.updated_at) + 1),
        ...(heartbeat && !monitor ? await addHeartbeat(deps, ctx, { ...row, schedule }) : {}),
        ...(!heartbeat && monitor ? await dropHeartbeat(deps, ctx, monitor) : {}),
      };
      if (heartbeat && monitor && schedule !== row.schedule)
        await retimeHeartbeat(deps, ctx, monitor, schedule);
      await k.transaction().execute(async (trx) => {
        await repo.updateJob(trx, id, next);
        await enqueueApply(trx, row);
        await audit(trx, ctx, "update", row, {
          before: described(row),
          after: described({ ...row, ...next }),
        });
      });
      return fresh(id);
    },

    /** Deletes the job (confirm: its id): its line leaves the node's file, then the row goes. */
    async remove(ctx: Ctx, id: string, confirm: string) {
      const row = await mustFind(ctx, id);
      enforce(ctx, policy.canManage(ctx, row));
      if (confirm !== row.id) throw invalid("confirm", "must be the job's id");
      // the monitor goes with the job (its line leaves the node with the apply)
      const noMonitor = row.heartbeat_monitor_id
        ? await dropHeartbeat(deps, ctx, row.heartbeat_monitor_id)
        : {};
      await k.transaction().execute(async (trx) => {
        await repo.updateJob(trx, id, {
          status: "deleting",
          updated_at: Math.max(Date.now(), Number(row.updated_at) + 1),
          ...noMonitor,
        });
        await enqueueApply(trx, row);
        await audit(trx, ctx, "delete", row, { before: described(row) });
      });
      return fresh(id);
    },

    /** Runs the job's command now as its user: a cron.run task (its log has the output). */
    async run(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      enforce(ctx, policy.canManage(ctx, row));
      if (row.status === "deleting") throw conflict("the job is being deleted");
      const runId = newId("cronrun");
      return k.transaction().execute(async (trx) => {
        const { task } = await engine.enqueue(
          {
            kind: CRON_RUN,
            payload: { jobId: row.id, runId },
            target: { type: "cron-job", id: row.id },
            accountId: row.account_id,
          },
          trx,
        );
        await repo.insertRun(trx, {
          id: runId,
          job_id: row.id,
          account_id: row.account_id,
          task_id: task.id,
          state: "running",
          exit_code: null,
          created_at: Date.now(),
          finished_at: null,
          kind: "manual",
        });
        await audit(trx, ctx, "run", row, { taskId: task.id });
        return { taskId: task.id };
      });
    },
  };
}

export type CronService = ReturnType<typeof createCronService>;
