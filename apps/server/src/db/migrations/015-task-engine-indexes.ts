import { type Kysely, type Migration, type RawBuilder, sql } from "kysely";
import type { Dialect } from "../open.ts";

/**
 * Fewer index updates per task transition (issue 11). A task's state changes at every
 * transition, so PostgreSQL cannot update its row in place (HOT): each transition adds an
 * entry to every index whose condition the new row meets. The engine's own indexes now hold
 * only the rows they are for:
 *
 * - tasks_claim_idx: queued, enabled tasks only, in the claim's order (priority, due time,
 *   id); a claimed or finished task leaves it.
 * - tasks_lease_idx: running tasks only, by id, for the reaper (it reads the few running
 *   rows and checks their leases). No index holds lease_until any more, so a heartbeat that
 *   renews leases changes no indexed column and its updates stay in the page (HOT).
 * - tasks_concurrency_idx: running tasks that have a key only (the claim counts them per key).
 * - tasks_parent_idx, tasks_account_idx, tasks_target_idx: tasks that have a parent, an
 *   account, a target id only. The last two keep the columns migration 013 gives them (id last,
 *   for the lists' keyset walks); a list filters on a value, which implies "is not null", so
 *   both dialects still walk them.
 *
 * On PostgreSQL the table keeps a tenth of each page free (fillfactor 90) for those in-page
 * updates (heartbeats, progress, checkpoints). And steward_claim_first (migration 003) takes
 * the tasks it locked through the primary key, one look-up each, with hash and merge joins
 * off as sorting already was: the planner hashed every row of the table to find the few
 * hundred it updates (20 ms of a 48 ms claim of 500 tasks among 20,000; 1M rows, seconds).
 */
export const m015_task_engine_indexes = (dialect: Dialect): Migration => ({
  async up(db) {
    await recreate(
      db,
      "tasks_claim_idx",
      sql`(priority, run_at, id) where state = 'queued' and enabled = 1`,
    );
    await recreate(db, "tasks_lease_idx", sql`(id) where state = 'running'`);
    await recreate(
      db,
      "tasks_concurrency_idx",
      sql`(concurrency_key) where state = 'running' and concurrency_key is not null`,
    );
    await recreate(db, "tasks_parent_idx", sql`(parent_id) where parent_id is not null`);
    await recreate(db, "tasks_account_idx", sql`(account_id, id) where account_id is not null`);
    await recreate(db, "tasks_target_idx", sql`(target_id, id) where target_id is not null`);
    if (dialect !== "postgres") return;
    await sql`alter table tasks set (fillfactor = 90)`.execute(db);
    for (const setting of ["enable_hashjoin", "enable_mergejoin"])
      await sql`alter function steward_claim_first(text, integer, bigint, bigint)
        set ${sql.raw(setting)} = off`.execute(db);
  },
});

async function recreate(db: Kysely<unknown>, name: string, definition: RawBuilder<unknown>) {
  await db.schema.dropIndex(name).ifExists().execute();
  await sql`create index ${sql.id(name)} on tasks ${definition}`.execute(db);
}
