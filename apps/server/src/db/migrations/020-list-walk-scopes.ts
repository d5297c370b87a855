import { type Migration, sql } from "kysely";

/**
 * What a caller who sees only some rows may see, walked along an index (issue 11).
 *
 * The system's tasks carry no account: a task of a system kind is the super group's whatever
 * its account (access/policies/tasks.ts), so its account said nothing, yet it put the task in
 * its account's index walks, where every non-super list read it and dropped it (`kind not in
 * (…)`, outside the walk's index: 5,000 rows read per page of an account holding only `noop`
 * tasks). The tasks service now refuses an account for a system kind, so the lists' scope is
 * "has an account"; this clears the account of the built-in system kinds' existing tasks
 * (logrotate, noop, node.*), which only a super user could have given one.
 *
 * Audit events by actor and account: someone's actions within one account. A caller who
 * reads an account it does not administer sees there only its own actions, and an account
 * admin who asks for another user's actions sees those within its accounts: each was a walk
 * of one of the two indexes dropping the rows of the other column (the account's every event,
 * 60 ms a page with 1M events). Events are inserted once and never updated: one more index
 * entry per event that has both.
 */
const SYSTEM_KINDS = ["logrotate", "noop", "node.heartbeat", "node.facts", "node.rotate-cert"];

export const m020_list_walk_scopes = (): Migration => ({
  async up(db) {
    await sql`update tasks set account_id = null
      where account_id is not null and kind in (${sql.join(SYSTEM_KINDS)})`.execute(db);
    await sql`create index audit_events_actor_account_idx
      on audit_events (actor_id, account_id, id)
      where actor_id is not null and account_id is not null`.execute(db);
  },
});
