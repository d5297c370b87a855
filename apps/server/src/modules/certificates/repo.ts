// Every line of SQL of the certificates and acme_accounts tables.
import type { Certificate } from "@steward/contracts";
import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from "kysely";
import type { AcmeAccountTable, CertificateTable, Database } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type CertificateRow = Selectable<CertificateTable>;

const DAY = 86_400_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export function toCertificate(r: CertificateRow, now = Date.now()): Certificate {
  const notAfter = r.not_after === null ? null : Number(r.not_after);
  return {
    id: r.id,
    siteId: r.site_id,
    accountId: r.account_id,
    nodeId: r.node_id,
    names: JSON.parse(r.names) as string[],
    keyType: r.key_type,
    source: r.source,
    state: r.state,
    hsts: Number(r.hsts) === 1,
    challenge: r.challenge,
    wildcard: Number(r.wildcard) === 1,
    serial: r.serial,
    issuer: r.issuer,
    notBefore: iso(r.not_before),
    notAfter: iso(notAfter),
    daysLeft: notAfter === null ? null : Math.floor((notAfter - now) / DAY),
    renewAt: iso(r.renew_at),
    lastError: r.last_error,
    taskId: r.task_id,
    createdAt: iso(Number(r.created_at)) ?? "",
    updatedAt: iso(Number(r.updated_at)) ?? "",
  };
}

/** The orders of the certificates list, each an index walk (migrations 024 and 042). */
export const certificateOrder = keyset("certificates.id", {
  expires: { sql: "coalesce(certificates.not_after, 0)", numeric: true },
  // the names' JSON text: the primary name first
  name: { sql: "certificates.names" },
  state: { sql: "certificates.state" },
  createdAt: "id",
});

export async function listCertificates(
  db: Kysely<Database>,
  scope: ListScope,
  f: { account?: string; site?: string; state?: string; limit: number; walk: Walk },
) {
  let q = f.walk.apply(db.selectFrom("certificates").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.site) q = q.where("site_id", "=", f.site);
  if (f.state) q = q.where("state", "=", f.state as CertificateRow["state"]);
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
  const now = Date.now();
  return f.walk.page(rows, f.limit, (r) => toCertificate(r, now));
}

export const findCertificate = (db: Kysely<Database>, id: string) =>
  db.selectFrom("certificates").selectAll().where("id", "=", id).executeTakeFirst();

export const certificateOfSite = (db: Kysely<Database>, siteId: string) =>
  db.selectFrom("certificates").selectAll().where("site_id", "=", siteId).executeTakeFirst();

export async function insertCertificate(
  db: Kysely<Database>,
  row: Insertable<CertificateTable>,
): Promise<void> {
  await db.insertInto("certificates").values(row).execute();
}

export async function updateCertificate(
  db: Kysely<Database>,
  id: string,
  set: Updateable<CertificateTable>,
): Promise<void> {
  await db
    .updateTable("certificates")
    .set({ ...set, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

/** The certificates whose renewal is due by `now`, soonest first (the daily scan). */
export const dueForRenewal = (db: Kysely<Database>, now: number, limit: number) =>
  db
    .selectFrom("certificates")
    .selectAll()
    .where("renew_at", "<=", now)
    .orderBy("renew_at")
    .orderBy("id")
    .limit(limit)
    .execute();

export const findAcmeAccount = (db: Kysely<Database>, directory: string) =>
  db.selectFrom("acme_accounts").selectAll().where("directory", "=", directory).executeTakeFirst();

/** Keeps the first account registered for a directory (two processes may race to make one). */
export async function saveAcmeAccount(
  db: Kysely<Database>,
  row: Selectable<AcmeAccountTable>,
): Promise<void> {
  await db
    .insertInto("acme_accounts")
    .values(row)
    .onConflict((oc) => oc.column("directory").doNothing())
    .execute();
}

/** ACME certificates whose ARI window is to be asked again by `now` (the ARI index's range). */
export const ariDue = (db: Kysely<Database>, now: number, limit: number) =>
  db
    .selectFrom("certificates")
    .selectAll()
    .where("ari_next_at", "<=", now)
    .orderBy("ari_next_at")
    .orderBy("id")
    .limit(limit)
    .execute();

/** Installed certificates expiring by `until`, soonest first (the expiry index's range). */
export const expiringBy = (db: Kysely<Database>, until: number, limit: number) =>
  db
    .selectFrom("certificates")
    .selectAll()
    .where(sql<number>`coalesce(not_after, 0)`, ">", 0)
    .where(sql<number>`coalesce(not_after, 0)`, "<=", until)
    .orderBy(sql`coalesce(not_after, 0)`)
    .orderBy("id")
    .limit(limit)
    .execute();

/** Whether the site's certificate asks for HSTS (what its vhost renders once it has one). */
export async function hstsOfSite(db: Kysely<Database>, siteId: string): Promise<boolean> {
  const row = await db
    .selectFrom("certificates")
    .select("hsts")
    .where("site_id", "=", siteId)
    .executeTakeFirst();
  return Number(row?.hsts ?? 0) === 1;
}

/** A removed site's certificate goes with it (its key went with the site on the node). */
export async function deleteCertificateOfSite(db: Kysely<Database>, siteId: string) {
  await db.deleteFrom("certificates").where("site_id", "=", siteId).execute();
}

/**
 * A new site's certificate, waiting for its names to resolve: the daily scan orders it once
 * they do (no task yet: `task_id` null, `renew_at` now).
 */
export async function planCertificate(
  db: Kysely<Database>,
  site: { id: string; account_id: string; node_id: string },
  names: string[],
  now: number,
): Promise<void> {
  await insertCertificate(db, {
    id: newId("cert"),
    site_id: site.id,
    account_id: site.account_id,
    node_id: site.node_id,
    names: JSON.stringify(names),
    key_type: "ecdsa-p256",
    state: "pending",
    serial: null,
    issuer: null,
    not_before: null,
    not_after: null,
    renew_at: now,
    last_error: null,
    warned_days: null,
    task_id: null,
    created_at: now,
    updated_at: now,
  });
}
