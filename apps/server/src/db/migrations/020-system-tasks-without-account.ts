import { type Migration, sql } from "kysely";

/**
 * The system's tasks carry no account (issue 11): a task of a system kind is the super
 * group's whatever its account (access/policies/tasks.ts), so its account said nothing, yet
 * it put the task in its account's index walks, where every non-super list read it and
 * dropped it (`kind not in (…)`, outside the walk's index: 5,000 rows read per page of an
 * account holding only `noop` tasks). The tasks service now refuses an account for a system
 * kind, so the lists' scope is "has an account"; this clears the account of the built-in
 * system kinds' existing tasks (logrotate, noop, node.*), which only a super user could have
 * given one.
 */
const SYSTEM_KINDS = ["logrotate", "noop", "node.heartbeat", "node.facts", "node.rotate-cert"];

export const m020_system_tasks_without_account = (): Migration => ({
  async up(db) {
    await sql`update tasks set account_id = null
      where account_id is not null and kind in (${sql.join(SYSTEM_KINDS)})`.execute(db);
  },
});
