import {
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from "kysely";
import type { AuditEventTable, Database } from "../../db/schema.ts";
import { idFloor } from "../../lib/ids.ts";
import { msToIso } from "../../lib/sql.ts";
import { crossWalks, type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

/** the prefix of audit event ids (audit/log.ts makes them) */
export const EVENT_ID = "ev";

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  target?: string;
  account?: string;
  outcome?: "success" | "failure" | "denied";
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

const parseDiff = (d: string | null): unknown => {
  if (d === null) return null;
  try {
    return JSON.parse(d);
  } catch {
    return d;
  }
};

/**
 * Newest first; the cursor is the id of the last event of the previous page. Each filter has
 * an index ending with id (migration 013); an action prefix and the events an actor may see
 * are read one action, account or actor at a time (lib/walks.ts), each filter bounded by an
 * (account or actor, filter, id) index (migration 017).
 */
export async function listAudit(db: Kysely<Database>, scope: ListScope, f: AuditFilter) {
  // the walks of what the caller may see, as far as the request's filter narrows them
  // (access/policies/audit.ts, narrowWalks)
  let q = db
    .selectFrom("audit_events")
    .selectAll()
    .orderBy("id", "desc")
    .limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.cursor) q = q.where("id", "<", f.cursor);
  if (f.actor) q = q.where("actor_id", "=", f.actor);
  if (f.action && !f.action.endsWith(".*")) q = q.where("action", "=", f.action);
  if (f.targetType) q = q.where("target_type", "=", f.targetType);
  if (f.target) q = q.where("target_id", "=", f.target);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.outcome) q = q.where("outcome", "=", f.outcome);
  if (f.from)
    q = q.where("at", ">=", Date.parse(f.from)).where("id", ">=", idFloor(EVENT_ID, f.from, -1));
  if (f.to) q = q.where("at", "<", Date.parse(f.to)).where("id", "<", idFloor(EVENT_ID, f.to, 1));
  const actions = f.action?.endsWith(".*")
    ? (await actionsOf(db, f.action.slice(0, -1))).map((a) => sql<SqlBool>`action = ${a}`)
    : null;
  const walks = crossWalks(actions, scope.walks);
  const rows = await pageOfWalksByIds(db, walks, f.limit + 1, q);
  return rows.map(toEvent);
}

/**
 * The actions starting with `prefix` ("site."), one index lookup each (a walk from one to
 * the next instead of reading every event of the range).
 */
async function actionsOf(db: Kysely<Database>, prefix: string): Promise<string[]> {
  const end = `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
  const { rows } = await sql<{ action: string | null }>`
    with recursive found(action) as (
      select (select min(action) from audit_events where action >= ${prefix} and action < ${end})
      union all
      select (select min(action) from audit_events where action > found.action and action < ${end})
      from found where found.action is not null
    )
    select action from found where action is not null`.execute(db);
  return rows.map((r) => r.action as string);
}

/** An event as the API shows it; its target's name is the service's to fill in (names.ts). */
const toEvent = (r: Selectable<AuditEventTable>) => ({
  id: r.id,
  at: msToIso(Number(r.at)),
  actorType: r.actor_type,
  actorId: r.actor_id,
  actorName: r.actor_name,
  ip: r.ip,
  requestId: r.request_id,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  accountId: r.account_id,
  outcome: r.outcome,
  diff: parseDiff(r.diff),
  targetName: null as string | null,
});

/** Deletes events older than a cut-off; returns how many. */
export async function pruneAudit(db: Kysely<Database>, before: number): Promise<number> {
  const r = await db.deleteFrom("audit_events").where("at", "<", before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertEvent(db: Kysely<Database>, row: Insertable<AuditEventTable>) {
  await db.insertInto("audit_events").values(row).execute();
}

export async function updateEvent(
  db: Kysely<Database>,
  id: string,
  patch: Updateable<AuditEventTable>,
) {
  await db.updateTable("audit_events").set(patch).where("id", "=", id).execute();
}

/** When recent failures of an action on a target happened (from one IP), newest first. */
export async function failureTimesOf(
  db: Kysely<Database>,
  q: {
    action: string;
    targetId: string;
    ip: string | null;
    since: number;
    except: string;
    limit: number;
  },
): Promise<number[]> {
  let sel = db
    .selectFrom("audit_events")
    .select("at")
    .where("action", "=", q.action)
    .where("target_id", "=", q.targetId)
    .where("outcome", "=", "failure")
    .where("at", ">", q.since)
    .where("id", "!=", q.except)
    .orderBy("at", "desc")
    .limit(q.limit);
  if (q.ip !== null) sel = sel.where("ip", "=", q.ip);
  return (await sel.execute()).map((r) => Number(r.at));
}
