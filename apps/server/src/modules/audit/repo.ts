import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
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
