// Outcomes of attempts, many in one statement: the successes of run-once tasks, kept as records
// or deleted (`onSuccess: "delete"`), and the failures that will be retried, each row with its
// own outcome, gathered while the previous statement is on its way (coalesce.ts). On PostgreSQL
// with LISTEN on, the same statement sends their state events (pg_notify, the ids of up to 200
// tasks per payload) and wakes the workers when a task that others wait for succeeded or one
// that held a place under a concurrency key ended: no round trip after it.
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../db/schema.ts";
import { coalesce } from "./coalesce.ts";
import { EVENT_CHANNEL, type TaskBus } from "./events.ts";
import type { ClaimedTask } from "./types.ts";

export type Outcome =
  | { task: ClaimedTask; state: "succeeded"; result: string | null }
  /** a failed attempt, due again at `runAt` */
  | { task: ClaimedTask; state: "queued"; error: string; runAt: number }
  /** a run-once `onSuccess: "delete"` task that succeeded: its row goes, its event says `succeeded` */
  | { task: ClaimedTask; state: "deleted" };

type Kept = Exclude<Outcome, { state: "deleted" }>;
/** what each statement returns for a task it changed: its new state, and whether others may run now */
type Ended = { id: string; state: string; wakes: unknown };

/**
 * Task ids per NOTIFY payload (events.ts, EventPayload `states`): 35 bytes each in json_agg's
 * text (a 31-character id, its quotes, a comma and a space), 7,000 in all, under PostgreSQL's
 * 8,000-byte limit (250 were over it).
 */
const IDS_PER_NOTIFY = 200;

/** a task others wait on (task_deps), read before the statement changes anything */
const waitedOn = sql`exists (select 1 from task_deps d where d.depends_on_id = tasks.id)`;
/**
 * A task whose end frees a place under its concurrency key: others of the key queued behind
 * it may run now. The worker's next claim may have read the task still running (runner.ts
 * claims while the outcome is written), so the end wakes the workers as a success others
 * wait on does.
 */
const freesKey = sql`tasks.concurrency_key is not null`;

/** `record(outcome)` settles once the statement carrying it has run. */
export function createCompleter(db: Kysely<Database>, bus: TaskBus) {
  const postgres = bus.wakeNotify !== null;
  return coalesce<Outcome>(async (items) => {
    const kept = items.filter((o): o is Kept => o.state !== "deleted");
    const gone = items.filter((o) => o.state === "deleted");
    const statements = [
      kept.length ? update(kept, postgres) : null,
      gone.length ? remove(gone, postgres) : null,
    ].filter((s) => s !== null);
    if (bus.notifies && bus.wakeNotify) {
      const [first, second] = statements;
      const ended = second
        ? sql`kept as (${first}), gone as (${second}),
            ended as (select * from kept union all select * from gone)`
        : sql`ended as (${first})`;
      const { rows } = await sql<{ woke: unknown }>`
        with ${ended},
        events as (
          select pg_notify(${EVENT_CHANNEL}, json_build_object(
            'type', 'states', 'state', state, 'taskIds', json_agg(id))::text)
          from (select id, state,
            (row_number() over (partition by state) - 1) / ${IDS_PER_NOTIFY} as chunk
            from ended) c
          group by state, chunk),
        wake as (select ${bus.wakeNotify} from ended where wakes limit 1)
        select (select count(*) from events) as events, (select count(*) from wake) as woke`.execute(
        db,
      );
      // dependants may be runnable now (other processes hear the NOTIFY)
      if (Number(rows[0]?.woke) > 0) bus.woken();
      return;
    }
    const rows: Ended[] = [];
    for (const statement of statements)
      rows.push(...(await statement.$castTo<Ended>().execute(db)).rows);
    if (rows.some((r) => Boolean(r.wakes))) await bus.wake(db); // others may be runnable now
    for (const r of rows) await bus.publish({ type: "state", taskId: r.id, state: r.state });
  });
}

/** What finish() writes for a kept success, and retryOrFail() for a retry (transitions.ts). */
function update(items: Kept[], postgres: boolean): RawBuilder<unknown> {
  const now = Date.now();
  const v = outcomes(items, postgres);
  // PostgreSQL: the rows by their ids (an index look-up each) before the join with the
  // outcomes, instead of reading every running task of every worker
  const byIds = postgres ? sql`and tasks.id = any(${items.map((o) => o.task.id)})` : sql``;
  return sql`
    update tasks set state = v.column3, lease_owner = null, lease_until = null,
      enabled = case when v.column3 = 'succeeded' then 0 else tasks.enabled end,
      run_at = case when v.column3 = 'queued' then cast(v.column6 as bigint) else tasks.run_at end,
      finished_at = case when v.column3 = 'succeeded' then ${now} else tasks.finished_at end,
      last_outcome = case when v.column3 = 'succeeded' then 'succeeded' else tasks.last_outcome end,
      result = case when v.column3 = 'succeeded' then v.column4 else tasks.result end,
      progress = case when v.column3 = 'succeeded' then 1 else tasks.progress end,
      last_error = v.column5, updated_at = ${now}
    from ${v} as v
    where tasks.id = v.column1 and tasks.state = 'running' and tasks.lease_owner = v.column2
      ${byIds}
    returning tasks.id, tasks.state,
      (tasks.state = 'succeeded' and ${waitedOn}) or ${freesKey} as wakes`;
}

/**
 * What finish() does for a success of a run-once `onSuccess: "delete"` task: the row goes if
 * its worker still holds it (a lease lost to the reaper keeps it), announced `succeeded`.
 */
function remove(items: Outcome[], postgres: boolean): RawBuilder<unknown> {
  const ids = items.map((o) => o.task.id);
  const held = postgres
    ? sql`tasks.id = any(${ids}) and (tasks.id, tasks.lease_owner) in (select * from
        unnest(${ids}::text[], ${items.map((o) => o.task.lease_owner)}::text[]))`
    : sql`(tasks.id, tasks.lease_owner) in (values ${sql.join(
        items.map((o) => sql`(${o.task.id}, ${o.task.lease_owner})`),
      )})`;
  return sql`
    delete from tasks where tasks.state = 'running' and ${held}
    returning tasks.id, cast('succeeded' as text) as state, ${waitedOn} or ${freesKey} as wakes`;
}

/**
 * The outcomes as a relation of columns column1..column6 (id, lease owner, state, result,
 * error, run_at): on PostgreSQL six arrays unnested, so the statement's text and its six
 * parameters are the same for any batch (a VALUES list of 500 took milliseconds to plan);
 * on SQLite a VALUES list.
 */
function outcomes(items: Kept[], postgres: boolean) {
  const result = (o: Kept) => (o.state === "succeeded" ? o.result : null);
  const error = (o: Kept) => (o.state === "queued" ? o.error : null);
  const runAt = (o: Kept) => (o.state === "queued" ? o.runAt : null);
  if (postgres)
    return sql`(select * from unnest(${items.map((o) => o.task.id)}::text[],
      ${items.map((o) => o.task.lease_owner)}::text[], ${items.map((o) => o.state)}::text[],
      ${items.map(result)}::text[], ${items.map(error)}::text[], ${items.map(runAt)}::bigint[])
      as u(column1, column2, column3, column4, column5, column6))`;
  const rows = items.map(
    (o) =>
      sql`(${o.task.id}, ${o.task.lease_owner}, ${o.state}, ${result(o)}, ${error(o)}, ${runAt(o)})`,
  );
  return sql`(values ${sql.join(rows)})`;
}
