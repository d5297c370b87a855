import type { Task, TaskCreate, TaskUpdate, taskListQuery } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { type Decision, enforce } from "../../access/decision.ts";
import { type TaskKinds, type TaskRef, tasks as taskPolicy } from "../../access/policies/tasks.ts";
import type { Ctx } from "../../access/types.ts";
import { type AuditEntry, recordAudit } from "../../audit/log.ts";
import { diffOf } from "../../audit/redact.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import type { StateChange } from "../../engine/manage.ts";
import type { TaskRow } from "../../engine/types.ts";
import { invalid, notFound } from "../../lib/errors.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import { requireAccount } from "../accounts/require.ts";
import { withNames } from "./named.ts";
import * as repo from "./repo.ts";
import { checkTimezoneAlone, firstRunOf, patchOf } from "./rules.ts";

type Page = { limit: number; cursor?: string };
type TaskDecision = (ctx: Ctx, kinds: TaskKinds, task: TaskRef) => Decision;
type ListQuery = z.infer<typeof taskListQuery> & Page;

/** Who a task records as its creator: the user's email, or the system actor's name. */
export const taskCreator = (ctx: Ctx) =>
  ctx.actor?.type === "system" ? ctx.actor.name : (ctx.actor?.email ?? null);

export function createTasksService({ db, engine }: { db: Db; engine: Engine }) {
  const k = db.db;
  const { registry } = engine;

  /** A task the policy lets the actor act on; one it may not even read does not exist for it. */
  async function mustFind(ctx: Ctx, id: string, decide: TaskDecision = taskPolicy.canRead) {
    const row = await repo.findTask(k, id);
    if (!row) throw notFound(`task ${id}`);
    return allowed(ctx, row, decide);
  }

  function allowed(ctx: Ctx, row: TaskRow, decide: TaskDecision) {
    if (!taskPolicy.canRead(ctx, registry, row).allowed) throw notFound(`task ${row.id}`);
    enforce(ctx, decide(ctx, registry, row));
    return row;
  }

  /** The audit record of a change, written in the engine's transaction of that change. */
  const audited =
    (
      ctx: Ctx,
      row: TaskRow,
      action: string,
      describe: (change: StateChange) => AuditEntry["diff"],
    ) =>
    (trx: Kysely<Database>, change: StateChange) =>
      recordAudit(trx, ctx, {
        action,
        targetType: "task",
        targetId: row.id,
        accountId: row.account_id,
        diff: describe(change),
      });
  const stateDiff = ({ from, to }: StateChange) => ({ state: { from, to } });

  const who = taskCreator;

  return {
    mustFind,

    async list(ctx: Ctx, f: ListQuery) {
      const scope = {
        where: taskPolicy.listScope(ctx),
        walks: taskPolicy.listWalks(ctx),
      };
      const rows = await repo.listTasks(k, scope, {
        ...f,
        enabled: f.enabled === undefined ? undefined : f.enabled === "true",
        cursor: checkCursor(f.cursor),
      });
      return pageOf(await withNames(k, rows), f.limit, (t) => t.id);
    },

    async get(ctx: Ctx, id: string) {
      const [task] = await withNames(k, [await mustFind(ctx, id)]);
      return task as Task;
    },

    /** Log lines in the order they were written; the cursor is the last line already seen. */
    async logs(ctx: Ctx, id: string, page: Page) {
      const row = await mustFind(ctx, id);
      const rows = await repo.logsAfter(k, row.id, checkCursor(page.cursor), page.limit + 1);
      return pageOf(rows.map(repo.toLog), page.limit, (l) => l.id);
    },

    /** A task of a kind users may create, in an account they administer (system: super). */
    async create(ctx: Ctx, input: TaskCreate) {
      const def = registry.get(input.kind);
      if (!def?.userCreatable) {
        const creatable = registry
          .all()
          .filter((d) => d.userCreatable)
          .map((d) => d.kind);
        throw invalid(
          "kind",
          `"${input.kind}" is not a kind of task one can create; try one of: ${creatable.join(", ") || "(none)"}`,
        );
      }
      const accountId = input.accountId ?? null;
      enforce(ctx, taskPolicy.canCreate(ctx, def.system === true, accountId));
      // the system's tasks belong to no account (access/policies/tasks.ts: the lists rely on it)
      if (def.system && accountId)
        throw invalid("accountId", `"${input.kind}" is a system task: it belongs to no account`);
      checkTimezoneAlone(input.expression, input.timezone);
      const runAt = firstRunOf(input);
      if (accountId) await requireAccount(k, accountId, "accountId");
      const { kind, payload, expression, timezone, priority, onSuccess, enabled } = input;
      const created = await k.transaction().execute(async (trx) => {
        const spec = { kind, payload, accountId, expression, timezone, priority, runAt };
        const out = await engine.enqueue({ ...spec, onSuccess, enabled, createdBy: who(ctx) }, trx);
        if (!out.created) return out;
        await recordAudit(trx, ctx, {
          action: "task.create",
          targetType: "task",
          targetId: out.task.id,
          accountId,
          diff: { after: { kind, payload, expression, timezone, priority, runAt, enabled } },
        });
        return out;
      });
      // Answered from the row the transaction wrote (or the active twin it found): a worker
      // may already have run a delete-on-success task and removed it. An active twin (unique
      // kinds) is returned only to those who may read it.
      const task = repo.toTask(allowed(ctx, created.task, taskPolicy.canRead));
      return { task, created: created.created };
    },

    /** Runs a task now: a queued one at once, a finished one again (recurring: once, now). */
    async run(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id, taskPolicy.canRun);
      const { task } = await engine.rerun(row, audited(ctx, row, "task.run", stateDiff));
      return repo.toTask(task);
    },

    /** Queued: cancelled at once, and what waits on it fails. Running: its worker aborts it. */
    async cancel(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id, taskPolicy.canRun);
      const why = `cancelled by ${who(ctx) ?? "someone"}`;
      const { task } = await engine.cancel(row, why, audited(ctx, row, "task.cancel", stateDiff));
      return repo.toTask(task);
    },

    async update(ctx: Ctx, id: string, patch: TaskUpdate) {
      const row = await mustFind(ctx, id, taskPolicy.canChange);
      const set = patchOf(registry, row, patch);
      const before = repo.toTask(row);
      const after = repo.toTask({ ...row, ...set } as TaskRow);
      const keys = ["enabled", "expression", "timezone", "priority", "state", "runAt"] as const;
      const pick = (t: typeof after) => Object.fromEntries(keys.map((key) => [key, t[key]]));
      const diff = diffOf(pick(before), pick(after));
      const { task } = await engine.patch(
        row,
        set,
        audited(ctx, row, "task.update", () => diff),
      );
      return repo.toTask(task);
    },
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
