import {
  type Expression,
  type Insertable,
  type Kysely,
  type SqlBool,
  sql,
  type Updateable,
} from "kysely";
import type { AuditEventTable, Database } from "../../db/schema.ts";
import { likePrefix, msToIso } from "../../lib/sql.ts";

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

/** Newest first; the cursor is the id of the last event of the previous page. */
export async function listAudit(
  db: Kysely<Database>,
  visible: Expression<SqlBool> | null,
  f: AuditFilter,
) {
  let q = db
    .selectFrom("audit_events")
    .selectAll()
    .orderBy("id", "desc")
    .limit(f.limit + 1);
  if (visible) q = q.where(visible);
  if (f.cursor) q = q.where("id", "<", f.cursor);
  if (f.actor) q = q.where("actor_id", "=", f.actor);
  if (f.action?.endsWith(".*"))
    q = q.where(likePrefix(sql.ref("action"), `${f.action.slice(0, -2)}.`));
  else if (f.action) q = q.where("action", "=", f.action);
  if (f.targetType) q = q.where("target_type", "=", f.targetType);
  if (f.target) q = q.where("target_id", "=", f.target);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.outcome) q = q.where("outcome", "=", f.outcome);
  if (f.from) q = q.where("at", ">=", Date.parse(f.from));
  if (f.to) q = q.where("at", "<", Date.parse(f.to));
  const rows = await q.execute();
  return rows.map((r) => ({
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
  }));
}

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
