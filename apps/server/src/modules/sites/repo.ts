// SQL of websites, nothing else.
import { domainToUnicode } from "node:url";
import { type Site, siteStatus } from "@steward/contracts";
import { type Expression, type Kysely, type Selectable, type SqlBool, sql } from "kysely";
import type { Database, SiteTable } from "../../db/schema.ts";
import { likeContains, msToIso, namesById, toBool } from "../../lib/sql.ts";

export type SiteRow = Selectable<SiteTable>;

export function toSite(r: SiteRow): Site {
  const domains = JSON.parse(r.domains) as string[];
  const aliases = JSON.parse(r.aliases) as string[];
  return {
    id: r.id,
    accountId: r.account_id,
    nodeId: r.node_id,
    kind: r.kind,
    domains,
    aliases,
    domainsUnicode: domains.map(domainToUnicode),
    aliasesUnicode: aliases.map(domainToUnicode),
    redirect: r.redirect,
    root: r.root,
    upstream: r.upstream,
    systemUser: r.system_user,
    status: r.status,
    suspended: toBool(r.suspended),
    phpAllowExec: toBool(r.php_allow_exec),
    lastError: r.last_error,
    warning: r.warning,
    taskId: r.task_id,
    createdAt: msToIso(r.created_at),
    updatedAt: msToIso(r.updated_at),
  };
}

export async function listSites(
  db: Kysely<Database>,
  visible: Expression<SqlBool>,
  f: {
    node?: string;
    account?: string;
    status?: string;
    q?: string;
    limit: number;
    cursor?: string;
  },
) {
  let q = db
    .selectFrom("sites")
    .selectAll()
    .where(visible)
    .orderBy("id")
    .limit(f.limit + 1);
  if (f.cursor) q = q.where("id", ">", f.cursor);
  if (f.node) q = q.where("node_id", "=", f.node);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.status) q = q.where("status", "=", f.status as SiteRow["status"]);
  if (f.q) {
    const text = f.q.toLowerCase();
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("site_domains")
          .select("site_domains.domain")
          .whereRef("site_domains.site_id", "=", "sites.id")
          .where(likeContains(sql.ref("site_domains.domain"), text)),
      ),
    );
  }
  return (await q.execute()).map(toSite);
}

export const findSite = (db: Kysely<Database>, id: string) =>
  db.selectFrom("sites").selectAll().where("id", "=", id).executeTakeFirst();

/** Names already taken by other sites, with the site holding each. */
export async function takenNames(db: Kysely<Database>, names: string[], except?: string) {
  if (!names.length) return [];
  let q = db
    .selectFrom("site_domains")
    .innerJoin("sites", "sites.id", "site_domains.site_id")
    .select(["site_domains.domain", "sites.id", "sites.account_id", "sites.primary_domain"])
    .where("site_domains.domain", "in", names);
  if (except) q = q.where("site_domains.site_id", "!=", except);
  return q.orderBy("site_domains.domain").execute();
}

/** Replaces the names a site answers to. */
export async function setNames(db: Kysely<Database>, siteId: string, names: string[]) {
  await db.deleteFrom("site_domains").where("site_id", "=", siteId).execute();
  if (names.length)
    await db
      .insertInto("site_domains")
      .values(names.map((domain) => ({ domain, site_id: siteId })))
      .execute();
}

export async function deleteSite(db: Kysely<Database>, id: string) {
  await db.deleteFrom("site_domains").where("site_id", "=", id).execute();
  await db.deleteFrom("sites").where("id", "=", id).execute();
}

/** How many sites an account owns (an account that owns any cannot be deleted). */
export async function countOfAccount(db: Kysely<Database>, accountId: string): Promise<number> {
  const r = await db
    .selectFrom("sites")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Sites the condition keeps, by status (every status present). */
export async function countByStatus(db: Kysely<Database>, visible: Expression<SqlBool>) {
  const rows = await db
    .selectFrom("sites")
    .select(["status", sql<number | string>`count(*)`.as("n")])
    .where(visible)
    .groupBy("status")
    .execute();
  const out = Object.fromEntries(siteStatus.options.map((s) => [s, 0])) as Record<
    SiteRow["status"],
    number
  >;
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** Failed sites, then those whose last apply warned; the latest change first within each. */
export async function needingAttention(
  db: Kysely<Database>,
  visible: Expression<SqlBool>,
  limit: number,
) {
  const rows = await db
    .selectFrom("sites")
    .selectAll()
    .where(visible)
    .where((eb) => eb.or([eb("status", "=", "failed"), eb("warning", "is not", null)]))
    .orderBy(sql`case when status = 'failed' then 0 else 1 end`)
    .orderBy("updated_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(toSite);
}
/** The primary names of these sites, by id. */
export const siteNames = (db: Kysely<Database>, ids: readonly string[]) =>
  namesById(db, "sites", "primary_domain", ids);
