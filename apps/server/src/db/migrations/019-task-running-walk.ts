import { type Migration, sql } from "kysely";

/**
 * One index entry fewer per claimed task (issue 11): tasks_lease_idx (migration 015, `(id)
 * where state = 'running'`) held the same rows, in the same order, as the `'running'` range of
 * tasks_state_idx `(state, id)` (migration 013), which every row version enters anyway. The
 * reaper (`state = 'running' and lease_until < now`), the list of running tasks and the
 * dashboard's count walk that range instead; a claimed task's new row version writes 4 index
 * entries instead of 5 (bench/README.md, "Where a task's work goes").
 */
export const m019_task_running_walk = (): Migration => ({
  async up(db) {
    await sql`drop index if exists tasks_lease_idx`.execute(db);
  },
});
