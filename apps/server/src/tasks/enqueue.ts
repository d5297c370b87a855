// Transactional enqueue: a service writes its rows and its task in one transaction.
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { AppError, invalid } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import type { TaskBus } from "./events.ts";
import type { Registry } from "./registry.ts";
import { checkSchedule, nextRun } from "./schedule.ts";
import type { TaskRow, TaskSpec } from "./types.ts";

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
  if (spec.expression) {
    if (!def.recurring)
      throw invalid("expression", `tasks of kind ${def.kind} cannot be recurring`);
    try {
      checkSchedule(spec.expression, spec.timezone);
    } catch (e) {
      const [field, ...rest] = (e as Error).message.split(": ");
      throw invalid(field ?? "expression", rest.join(": "));
    }
  }
  const runAt =
    spec.runAt ?? (spec.expression ? nextRun(spec.expression, spec.timezone ?? null, now) : now);
  return { def, payload, priority, runAt };
}

export async function enqueue(
  db: Kysely<Database>,
  registry: Registry,
  bus: TaskBus,
  spec: TaskSpec,
): Promise<Enqueued> {
  const now = Date.now();
  const { def, payload, priority, runAt } = prepare(registry, spec, now);
  const uniqueKey = def.unique ? `${def.kind}:${def.unique(payload)}` : null;
  if (uniqueKey) {
    const active = await findActiveByUniqueKey(db, uniqueKey);
    if (active) return { task: active, created: false };
  }
  const row: TaskRow = {
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
    concurrency_limit: def.concurrency?.limit ?? null,
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
  const deps = [...new Set(spec.dependsOn ?? [])];
  if (deps.length) {
    const found = await db.selectFrom("tasks").select("id").where("id", "in", deps).execute();
    const missing = deps.filter((d) => !found.some((f) => f.id === d));
    if (missing.length) throw invalid("dependsOn", `no task ${missing.join(", ")}`);
  }
  if (uniqueKey) {
    // a concurrent enqueue may take the key between our look-up and this insert
    const inserted = await db
      .insertInto("tasks")
      .values(row)
      .onConflict((oc) =>
        oc
          .column("unique_key")
          .where((eb) =>
            eb.and([eb("unique_key", "is not", null), eb("state", "in", ["queued", "running"])]),
          )
          .doNothing(),
      )
      .returning("id")
      .executeTakeFirst();
    if (!inserted) {
      const active = await findActiveByUniqueKey(db, uniqueKey);
      if (active) return { task: active, created: false };
      throw new AppError("CONFLICT", "a task with the same key was being created; try again");
    }
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

async function findActiveByUniqueKey(db: Kysely<Database>, key: string) {
  return db
    .selectFrom("tasks")
    .selectAll()
    .where("unique_key", "=", key)
    .where("state", "in", ["queued", "running"])
    .executeTakeFirst();
}

export const noHandler = (kind: string) =>
  new AppError("INTERNAL", `no handler for task kind ${kind}`);
