import { type Migration, sql } from "kysely";
import type { Dialect } from "../open.ts";
import { CLAIM_CANDIDATES } from "./003-task-claim.ts";

/**
 * Fewer index entries per task transition, and a claim that says why it took nothing
 * (issue 11).
 *
 * Every transition writes a new row version with an entry in each index whose condition it
 * meets (migration 015). Two list indexes of migration 013 held every task although their
 * lists always name a value:
 *
 * - tasks_account_state_idx (account_id, state, id): an account's tasks in a state, now the
 *   tasks that have an account only (system tasks have none);
 * - tasks_target_type_idx (target_type, id): tasks of a target type, now the tasks that have
 *   a target only.
 *
 * A filter on a value implies "is not null", so both dialects still walk them for their lists
 * (as tasks_account_idx and tasks_target_idx since 015). A task without account or target
 * (housekeeping, and the bench's no-op tasks) writes 2 entries fewer per row version: 6 of the
 * 19 its three versions (queued, running, succeeded) wrote.
 *
 * steward_claim_first (migration 003) took nothing both when nothing was runnable and when a
 * candidate had a concurrency limit or spacing, so the engine ran its transaction (four round
 * trips) after every empty claim. It now returns that candidate's row, still queued, in the
 * second case: nothing returned means nothing is runnable.
 */
export const m016_task_version_indexes = (dialect: Dialect): Migration => ({
  async up(db) {
    await db.schema.dropIndex("tasks_account_state_idx").execute();
    await sql`create index tasks_account_state_idx on tasks (account_id, state, id)
      where account_id is not null`.execute(db);
    await db.schema.dropIndex("tasks_target_type_idx").execute();
    await sql`create index tasks_target_type_idx on tasks (target_type, id)
      where target_type is not null`.execute(db);
    if (dialect !== "postgres") return;
    // the settings of 003 and 015, which a replaced function would lose
    await sql`
      create or replace function steward_claim_first(
        worker text, max_tasks integer, now_ms bigint, lease_ms bigint
      ) returns setof tasks language plpgsql
      set enable_sort = off set enable_hashjoin = off set enable_mergejoin = off as $$
      begin
        return query
        with c as (${sql.raw(CLAIM_CANDIDATES)}),
        held_back as (
          select c.id from c where c.concurrency_key is not null or c.gap_key is not null
          limit 1
        ),
        taken as (
          update tasks set state = 'running', attempts = tasks.attempts + 1,
            lease_owner = worker, lease_until = now_ms + lease_ms, started_at = now_ms,
            finished_at = null, cancel_requested = 0, updated_at = now_ms
          from c
          where tasks.id = c.id and not exists (select 1 from held_back)
          returning tasks.*
        )
        select * from taken
        union all
        select t.* from tasks t where t.id in (select id from held_back);
      end $$`.execute(db);
  },
});
