import type { Task, TaskLog } from "@steward/contracts";
import { type Kysely, type SqlBool, sql } from "kysely";
import { redact } from "../../audit/redact.ts";
import type { Database, TaskLogTable } from "../../db/schema.ts";
import type { TaskRow } from "../../engine/types.ts";
import { isoOrNull, msToIso } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";
import { titleOf } from "./titles.ts";

export interface TaskFilter {
  state?: TaskRow["state"];
  kind?: string;
  /** "<type>" or "<type>:<id>" */
  target?: string;
  account?: string;
  enabled?: boolean;
  limit: number;
  cursor?: string;
}

const parsed = (s: string | null): unknown => {
  if (s === null) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
};

/**
 * The columns a task is shown with (namedTask): not its lease, checkpoint, uniqueness and
 * concurrency keys, which no list shows (a checkpoint may be large); a list reads these only.
 */
export const SHOWN_COLUMNS = [
  "id",
  "kind",
  "payload",
  "target_type",
  "target_id",
  "account_id",
  "state",
  "enabled",
  "cancel_requested",
  "priority",
  "run_at",
  "expression",
  "timezone",
  "on_success",
  "attempts",
  "max_attempts",
  "progress",
  "progress_message",
  "result",
  "last_error",
  "last_outcome",
  "parent_id",
  "created_by",
  "started_at",
  "finished_at",
  "created_at",
  "updated_at",
] as const satisfies readonly (keyof TaskRow)[];
export type ShownTaskRow = Pick<TaskRow, (typeof SHOWN_COLUMNS)[number]>;

/**
 * A task as the API shows it; payloads and results are redacted like audit diffs. Its title
 * names the target `targetName` (tasks/named.ts reads it), or its id; `removing`: the task
 * deletes its site.
 */
export const namedTask = (r: ShownTaskRow, targetName: string | null, removing: boolean): Task => ({
  id: r.id,
  kind: r.kind,
  payload: redact(parsed(r.payload)),
  targetType: r.target_type,
  targetId: r.target_id,
  accountId: r.account_id,
  state: r.state,
  enabled: Number(r.enabled) === 1,
  cancelRequested: Number(r.cancel_requested) === 1,
  priority: r.priority,
  runAt: msToIso(Number(r.run_at)),
  expression: r.expression,
  timezone: r.timezone,
  onSuccess: r.on_success,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  progress: r.progress === null ? null : Number(r.progress),
  progressMessage: r.progress_message,
  result: redact(parsed(r.result)),
  lastError: r.last_error,
  lastOutcome: r.last_outcome,
  parentId: r.parent_id,
  createdBy: r.created_by,
  startedAt: isoOrNull(r.started_at),
  finishedAt: isoOrNull(r.finished_at),
  createdAt: msToIso(Number(r.created_at)),
  updatedAt: msToIso(Number(r.updated_at)),
  title: titleOf(r, targetName, removing),
  targetName,
});

/** A task as the API shows it, its target named by id. */
export const toTask = (r: TaskRow): Task => namedTask(r, null, false);

export const toLog = (r: TaskLogTable): TaskLog => ({
  id: r.id,
  at: msToIso(Number(r.at)),
  attempt: r.attempt,
  level: r.level,
  message: r.message,
});

/**
 * Newest first; the cursor is the id of the last task of the previous page. Each filter has an
 * index ending with id (migration 013), and the tasks an actor may see are read one account
 * or resource at a time (lib/walks.ts), each filter then bounded by an (account, filter, id)
 * index (migrations 013, 017): every page is an index walk.
 */
export async function listTasks(
  db: Kysely<Database>,
  scope: ListScope,
  f: TaskFilter,
): Promise<ShownTaskRow[]> {
  // one account or one target is already a short walk: the actor's walks would only repeat it
  const narrow = f.account !== undefined || f.target?.includes(":");
  const walks = narrow ? null : scope.walks;
  let q = db
    .selectFrom("tasks")
    .select(SHOWN_COLUMNS)
    .orderBy("id", "desc")
    .limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.cursor) q = q.where("id", "<", f.cursor);
  if (f.state) q = q.where("state", "=", f.state);
  if (f.kind) q = q.where("kind", "=", f.kind);
  if (f.account) q = q.where("account_id", "=", f.account);
  // literal: only then does SQLite know the enabled tasks' partial indexes hold the rows (an
  // account's: migration 017); most tasks are disabled, walked as the unfiltered list. Plainly
  // compared (PostgreSQL took `(enabled + 0) = 0` for a rare value: it read every task of each
  // account and sorted them, 123 ms a walk of 3,000 tasks against 1.8; bench:api)
  if (f.enabled !== undefined) q = q.where(sql<SqlBool>`enabled = ${sql.lit(f.enabled ? 1 : 0)}`);
  const [type = "", id] = f.target?.split(":") ?? [];
  // One target: its id names one resource whatever its type (migration 013), so the walk is
  // by id alone (the type's index would read every task of the type) and its type is checked
  // on the rows, which all share it: the page is whole, or empty for a type the id is not.
  if (f.target && id !== undefined) q = q.where("target_id", "=", id);
  else if (f.target) q = q.where("target_type", "=", type);
  const rows = await pageOfWalksByIds(db, walks, f.limit + 1, q);
  return id === undefined ? rows : rows.filter((r) => r.target_type === type);
}

export function findTask(db: Kysely<Database>, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom("tasks").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Log lines in the order they were written, after the line `after` (an id). */
export function logsAfter(
  db: Kysely<Database>,
  taskId: string,
  after: string | undefined,
  limit: number,
): Promise<TaskLogTable[]> {
  let q = db
    .selectFrom("task_logs")
    .selectAll()
    .where("task_id", "=", taskId)
    .orderBy("id")
    .limit(limit);
  if (after) q = q.where("id", ">", after);
  return q.execute();
}

/** How many tasks of an account are still to run (queued, recurring, or running). */
export async function countActiveOfAccount(db: Kysely<Database>, accountId: string) {
  const r = await db
    .selectFrom("tasks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .where("state", "in", ["queued", "running"])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
