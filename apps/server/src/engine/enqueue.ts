// Transactional enqueue: a service writes its rows and its task in one transaction.
import { type Kysely, sql } from "kysely";
import type { Database } from "../db/schema.ts";
import { AppError, invalid } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import type { TaskBus } from "./events.ts";
import type { Registry } from "./registry.ts";
import { checkSchedule, nextRun } from "./schedule.ts";
import { prerequisiteFailed } from "./transitions.ts";
import { bringForward, findActiveByUniqueKey } from "./twins.ts";
import type { HandlerDef, TaskRow, TaskSpec } from "./types.ts";

export interface Enqueued {
  task: TaskRow;
  /** false when an active task with the same unique key was returned instead */
  created: boolean;
}

/** Validates a spec against its handler; throws VALIDATION_FAILED naming the field. */
export function prepare(registry: Registry, spec: TaskSpec, now = Date.now()) {
  const def = registry.get(spec.kind);
  if (!def)
    throw invalid(
      "kind",
      `unknown task kind "${spec.kind}"; known: ${registry.kinds().join(", ")}`,
    );
  const parsed = def.payload.safeParse(spec.payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ["payload", ...(issue?.path.map(String) ?? [])].join(".");
    throw invalid(field, issue?.message ?? "invalid");
  }
  const payload = parsed.data;
  const priority = spec.priority ?? 5;
  if (!Number.isInteger(priority) || priority < 0 || priority > 9)
    throw invalid("priority", "must be an integer from 0 to 9");
  if (spec.expression) checkRecurring(def, spec.expression, spec.timezone);
  const runAt =
    spec.runAt ?? (spec.expression ? nextRun(spec.expression, spec.timezone ?? null, now) : now);
  return { def, payload, priority, runAt };
}

/** A schedule for a task of this kind; throws VALIDATION_FAILED naming the field. */
export function checkRecurring(def: HandlerDef, expression: string, timezone?: string | null) {
  if (!def.recurring) throw invalid("expression", `tasks of kind ${def.kind} cannot be recurring`);
  try {
    checkSchedule(expression, timezone);
  } catch (e) {
    const [field, ...rest] = (e as Error).message.split(": ");
    throw invalid(field ?? "expression", rest.join(": "));
  }
}

export async function enqueue(
  db: Kysely<Database>,
  registry: Registry,
  bus: TaskBus,
  spec: TaskSpec,
): Promise<Enqueued> {
  // the task and its prerequisites are written together: a task visible without its
  // task_deps rows could be claimed before its prerequisites succeeded
  if (spec.dependsOn?.length && !db.isTransaction)
    return db.transaction().execute((trx) => enqueue(trx, registry, bus, spec));
  const now = Date.now();
  const { def, payload, priority, runAt } = prepare(registry, spec, now);
  const uniqueKey = def.unique ? `${def.kind}:${def.unique(payload)}` : null;
  if (uniqueKey) {
    const active = await findActiveByUniqueKey(db, uniqueKey);
    if (active) return { task: active, created: false };
  }
  if (spec.bringForward) {
    const waiting = await bringForward(db, def.kind, spec.target, now);
    if (waiting) {
      await bus.wake(db);
      return { task: waiting, created: false };
    }
  }
  const row = toRow(spec, { def, payload, priority, runAt }, uniqueKey, now);
  const deps = [...new Set(spec.dependsOn ?? [])];
  if (deps.length) {
    const found = await db
      .selectFrom("tasks")
      .select(["id", "kind", "state", "last_error", "expression"])
      .where("id", "in", deps)
      .execute();
    const missing = deps.filter((d) => !found.some((f) => f.id === d));
    if (missing.length) throw invalid("dependsOn", `no task ${missing.join(", ")}`);
    // a recurring task goes back to the queue after each run and never ends "succeeded"
    const recurring = found.find((f) => f.expression !== null);
    if (recurring)
      throw invalid(
        "dependsOn",
        `task ${recurring.id} is recurring; only run-once tasks can be prerequisites`,
      );
    // a prerequisite that already failed will never succeed: nothing would fail this task later
    const dead = found.find((f) => f.state === "failed" || f.state === "cancelled");
    if (dead) {
      row.state = "failed";
      row.last_outcome = "failed";
      row.last_error = prerequisiteFailed(dead.id, dead.kind, dead.last_error ?? dead.state);
      row.finished_at = now;
    }
  }
  if (uniqueKey) {
    // a concurrent enqueue may take the key between our look-up and this insert
    const inserted = await db
      .insertInto("tasks")
      .values(row)
      .onConflict((oc) =>
        oc
          .column("unique_key")
          // literally the partial index's predicate: SQLite cannot match it with bound values
          .where(sql<boolean>`unique_key is not null and state in ('queued', 'running')`)
          .doNothing(),
      )
      .returning("id")
      .executeTakeFirst();
    if (!inserted) {
      const active = await findActiveByUniqueKey(db, uniqueKey);
      if (active) return { task: active, created: false };
      throw new AppError("CONFLICT", "a task with the same key was being created; try again");
    }
  } else if (!deps.length && bus.wakeNotify) {
    // the common case on PostgreSQL: the row and the workers' wake-up in one statement
    await db
      .with("added", (w) => w.insertInto("tasks").values(row).returning("id"))
      .selectFrom("added")
      .select(bus.wakeNotify.as("woke"))
      .execute();
    bus.woken();
    return { task: row, created: true };
  } else {
    await db.insertInto("tasks").values(row).execute();
  }
  if (deps.length) {
    await db
      .insertInto("task_deps")
      .values(deps.map((d) => ({ task_id: row.id, depends_on_id: d })))
      .execute();
  }
  await bus.wake(db);
  return { task: row, created: true };
}

const INSERT_CHUNK = 500; // rows per INSERT: 34 columns stay under both dialects' parameter caps
/**
 * PostgreSQL plans the claim query from the table's statistics; until autovacuum refreshes
 * them (up to a minute) a large batch of queued rows it has not seen makes it sort them all
 * at every claim. After this many rows at once they are refreshed here (its advice after a
 * bulk load).
 */
const ANALYZE_AFTER = 1_000;

/**
 * Many tasks at once (a bulk import, a fan-out): one INSERT per chunk and one wake-up. Call
 * it inside a transaction for all-or-nothing. Specs with a unique key, prerequisites or
 * bringForward go through `enqueue` one by one, after the rows before them are written, in order.
 */
export async function enqueueMany(
  db: Kysely<Database>,
  registry: Registry,
  bus: TaskBus,
  specs: TaskSpec[],
  postgres = false,
): Promise<Enqueued[]> {
  const now = Date.now();
  const out: Enqueued[] = [];
  let pending: TaskRow[] = [];
  let written = 0;
  const flush = async () => {
    written += pending.length;
    for (let i = 0; i < pending.length; i += INSERT_CHUNK)
      await db
        .insertInto("tasks")
        .values(pending.slice(i, i + INSERT_CHUNK))
        .execute();
    pending = [];
  };
  for (const spec of specs) {
    const prepared = prepare(registry, spec, now);
    if (prepared.def.unique || spec.dependsOn?.length || spec.bringForward) {
      await flush();
      out.push(await enqueue(db, registry, bus, spec));
      continue;
    }
    const row = toRow(spec, prepared, null, now);
    pending.push(row);
    out.push({ task: row, created: true });
  }
  await flush();
  if (postgres && written >= ANALYZE_AFTER) await sql`analyze tasks`.execute(db);
  if (out.length) await bus.wake(db);
  return out;
}

/** The row of a prepared spec. */
function toRow(
  spec: TaskSpec,
  { def, payload, priority, runAt }: ReturnType<typeof prepare>,
  uniqueKey: string | null,
  now: number,
): TaskRow {
  return {
    id: newId("task", now),
    kind: def.kind,
    payload: JSON.stringify(payload),
    target_type: spec.target?.type ?? null,
    target_id: spec.target?.id ?? null,
    account_id: spec.accountId ?? null,
    state: "queued",
    enabled: spec.enabled === false ? 0 : 1,
    priority,
    run_at: runAt,
    expression: spec.expression ?? null,
    timezone: spec.expression ? (spec.timezone ?? null) : null,
    on_success: spec.onSuccess ?? "disable",
    attempts: 0,
    max_attempts: def.maxAttempts,
    concurrency_key: def.concurrency ? `${def.kind}:${def.concurrency.key(payload)}` : null,
    concurrency_limit: def.concurrency ? limitOf(def.concurrency.limit, payload) : null,
    gap_key: def.gap ? `${def.kind}:${def.gap.key(payload)}` : null,
    gap_ms: def.gap ? def.gap.seconds * 1000 : null,
    unique_key: uniqueKey,
    lease_owner: null,
    lease_until: null,
    cancel_requested: 0,
    progress: null,
    progress_message: null,
    checkpoint: null,
    result: null,
    last_error: null,
    last_outcome: null,
    parent_id: spec.parentId ?? null,
    created_by: spec.createdBy ?? null,
    started_at: null,
    finished_at: null,
    created_at: now,
    updated_at: now,
  };
}

export const noHandler = (kind: string) =>
  new AppError("INTERNAL", `no handler for task kind ${kind}`);

/** A kind's concurrency limit: fixed, or read from the task's payload (a plan's setting). */
const limitOf = (limit: number | ((p: never) => number), payload: unknown) =>
  typeof limit === "function" ? limit(payload as never) : limit;
