import { type Kysely, type Migration, sql } from "kysely";

/**
 * Every list is an index walk (issue 11): the lists order by id (newest first, keyset cursor),
 * so each filter's index ends with id and the walk reads only the rows of the page
 * (`apps/server/src/architecture/plans.test.ts` checks the plans on both dialects).
 *
 * Tasks: the single-column indexes on kind, account and target gain id in place (no new
 * index for the engine to update), `(state, id)` is new. Partial indexes cover the rare rows
 * only, so the engine pays for them on those rows alone: disabled tasks, failed tasks and
 * recurring tasks (the dashboard's latest failures and schedule counts).
 *
 * Audit events are only inserted: their filter indexes gain id, outcome and target type get one.
 */
const regain = async (db: Kysely<unknown>, table: string, name: string, columns: string[]) => {
  await db.schema.dropIndex(name).execute();
  await db.schema.createIndex(name).on(table).columns(columns).execute();
};

export const m013_list_indexes = (): Migration => ({
  async up(db) {
    await regain(db, "tasks", "tasks_kind_idx", ["kind", "id"]);
    await regain(db, "tasks", "tasks_account_idx", ["account_id", "id"]);
    await regain(db, "tasks", "tasks_target_idx", ["target_type", "target_id", "id"]);
    await db.schema.createIndex("tasks_state_idx").on("tasks").columns(["state", "id"]).execute();
    await sql`create index tasks_disabled_idx on tasks (id) where enabled = 0`.execute(db);
    // the dashboard's latest failures, in the order it shows them
    await sql`create index tasks_failed_idx on tasks (coalesce(finished_at, updated_at), id)
      where state = 'failed'`.execute(db);
    await sql`create index tasks_recurring_failed_idx
      on tasks (coalesce(finished_at, updated_at), id)
      where expression is not null and last_outcome = 'failed'`.execute(db);
    await sql`create index tasks_recurring_idx on tasks (state, id)
      where expression is not null`.execute(db);
    for (const column of ["actor_id", "action", "target_id", "account_id"])
      await regain(db, "audit_events", `audit_events_${column}_idx`, [column, "id"]);
    for (const column of ["outcome", "target_type"])
      await db.schema
        .createIndex(`audit_events_${column}_idx`)
        .on("audit_events")
        .columns([column, "id"])
        .execute();
  },
});
