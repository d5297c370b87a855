import { type Kysely, type Migration, sql } from "kysely";

/**
 * Every list is an index walk (issue 11): the lists order by id (newest first, keyset cursor),
 * so each filter's index ends with id and the walk reads only the rows of the page
 * (`apps/server/src/architecture/plans.test.ts` checks the plans on both dialects).
 *
 * Tasks: the indexes on kind, account and target gain id in place, `(state, id)`,
 * `(account_id, state, id)` and `(target_type, id)` are new. Partial indexes cover the rare rows
 * only, so the engine pays for them on those rows alone: enabled tasks, failed tasks and
 * recurring tasks (the dashboard's latest failures and schedule counts).
 *
 * Sites: partial indexes of the failed and the warned ones (few) for the dashboard.
 *
 * Audit events are only inserted: their filter indexes gain id, outcome and target type get one.
 */
const create = (db: Kysely<unknown>, table: string, name: string, columns: string[]) =>
  db.schema.createIndex(name).on(table).columns(columns).execute();
const regain = async (db: Kysely<unknown>, table: string, name: string, columns: string[]) => {
  await db.schema.dropIndex(name).execute();
  await create(db, table, name, columns);
};

export const m013_list_indexes = (): Migration => ({
  async up(db) {
    await regain(db, "tasks", "tasks_kind_idx", ["kind", "id"]);
    await regain(db, "tasks", "tasks_account_idx", ["account_id", "id"]);
    // an account's tasks in one state: what an actor who sees some accounts filters by state
    // and what the dashboard counts for it
    await create(db, "tasks", "tasks_account_state_idx", ["account_id", "state", "id"]);
    // target ids name one resource whatever its type
    await regain(db, "tasks", "tasks_target_idx", ["target_id", "id"]);
    for (const column of ["state", "target_type"])
      await create(db, "tasks", `tasks_${column}_idx`, [column, "id"]);
    // enabled tasks: the queued, running and failed ones (a task that succeeds is disabled)
    await sql`create index tasks_enabled_idx on tasks (id) where enabled = 1`.execute(db);
    // the dashboard's latest failures, in the order it shows them
    // (state first: SQLite, without statistics, prefers an index its equality leads)
    await sql`create index tasks_failed_idx on tasks (state, coalesce(finished_at, updated_at), id)
      where state = 'failed'`.execute(db);
    await sql`create index tasks_failed_account_idx
      on tasks (account_id, coalesce(finished_at, updated_at), id)
      where state = 'failed'`.execute(db);
    await sql`create index tasks_recurring_failed_idx
      on tasks (last_outcome, coalesce(finished_at, updated_at), id)
      where expression is not null and last_outcome = 'failed'`.execute(db);
    await sql`create index tasks_recurring_idx on tasks (state, id)
      where expression is not null`.execute(db);
    // the dashboard's sites needing attention, latest change first: failed, then warned ones
    await sql`create index sites_failed_idx on sites (status, updated_at, id)
      where status = 'failed'`.execute(db);
    await sql`create index sites_warned_idx on sites (updated_at, id)
      where warning is not null`.execute(db);
    for (const column of ["actor_id", "action", "target_id", "account_id"])
      await regain(db, "audit_events", `audit_events_${column}_idx`, [column, "id"]);
    for (const column of ["outcome", "target_type"])
      await create(db, "audit_events", `audit_events_${column}_idx`, [column, "id"]);
  },
});
