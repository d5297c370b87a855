import { type Migration, sql } from "kysely";

/**
 * Each filter of a list is bounded by an index for an actor who sees some accounts (issue 11):
 * what such an actor sees is read one account (and, for audit events, its own actions) at a
 * time (lib/walks.ts), so a filter beside that walk needs an index led by the walk's column,
 * then the filter, then the id. Without it, the walk of an account with no matching row read
 * every row of the account (a million tasks: 1–2 s per request at 50 clients).
 *
 * Tasks: an account's tasks of one kind, of one target type (its state already has
 * tasks_account_state_idx, migration 013), its enabled ones. They hold only tasks with an
 * account, so the system's own tasks (heartbeats, facts, noop…: no account) never enter them;
 * a task with an account pays two more index entries when it is inserted and, on PostgreSQL,
 * at each state change (state is indexed, so no transition is an in-page HOT update), and a
 * third while it is enabled (queued, running, failed; a task that succeeds leaves it).
 *
 * The dashboard's recurring tasks whose last run failed hold, in their partial index, only
 * those waiting for (or in) their next run, as the dashboard asks: with the state outside it,
 * PostgreSQL read every schedule through tasks_recurring_idx and sorted them (2.7 s with 5,000
 * schedules on a loaded machine).
 *
 * Audit events (inserted once, never updated): an account's events and an actor's own events
 * by outcome, by action, by target type.
 */
const indexes: [name: string, table: string, columns: string, where: string][] = [
  ["tasks_account_kind_idx", "tasks", "account_id, kind, id", "account_id is not null"],
  [
    "tasks_account_target_type_idx",
    "tasks",
    "account_id, target_type, id",
    "account_id is not null and target_type is not null",
  ],
  [
    "tasks_account_enabled_idx",
    "tasks",
    "account_id, id",
    "enabled = 1 and account_id is not null",
  ],
  ...(["account_id", "actor_id"] as const).flatMap((walk) =>
    (["outcome", "action", "target_type"] as const).map(
      (filter): [string, string, string, string] => [
        `audit_events_${walk.replace("_id", "")}_${filter}_idx`,
        "audit_events",
        `${walk}, ${filter}, id`,
        `${walk} is not null`,
      ],
    ),
  ),
];

export const m017_list_walk_filters = (): Migration => ({
  async up(db) {
    await sql`drop index tasks_recurring_failed_idx`.execute(db);
    await sql`create index tasks_recurring_failed_idx
      on tasks (last_outcome, coalesce(finished_at, updated_at), id)
      where expression is not null and last_outcome = 'failed' and state in ('queued', 'running')`.execute(
      db,
    );
    for (const [name, table, columns, where] of indexes)
      await sql`create index ${sql.id(name)} on ${sql.table(table)} (${sql.raw(columns)})
        where ${sql.raw(where)}`.execute(db);
  },
});
