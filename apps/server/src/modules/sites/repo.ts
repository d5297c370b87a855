// SQL of websites, nothing else.
import { domainToUnicode } from "node:url";
import { type Site, siteStatus } from "@steward/contracts";
import { CGI_SUFFIX } from "@steward/contracts/hosting";
import {
  type Expression,
  expressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from "kysely";
import type { Database, SiteDomainTable, SiteTable } from "../../db/schema.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { namesById } from "../../lib/names.ts";
import { isPostgres, msToIso, startsWith, toBool } from "../../lib/sql.ts";
import { countOfWalks, type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type SiteRow = Selectable<SiteTable>;
export type SiteNameKind = Selectable<SiteDomainTable>["kind"];
/** A site's names, kept in site_domains (the only place). */
export type SiteNames = { domains: string[]; aliases: string[] };
export type SiteRecord = SiteRow & SiteNames;

/**
 * The rows with their names: the one place a site's names are read. The names of a page are
 * put in order here (a few), not sorted by the database.
 */
async function withNames(db: Kysely<Database>, rows: SiteRow[]): Promise<SiteRecord[]> {
  if (!rows.length) return [];
  const names = (
    await db
      .selectFrom("site_domains")
      .select(["site_id", "domain", "kind", "position"])
      .where(
        "site_id",
        "in",
        rows.map((row) => row.id),
      )
      .where("kind", "in", ["domain", "alias"])
      .execute()
  ).sort((a, b) => Number(a.position) - Number(b.position));
  const bySite = new Map<string, SiteNames>(
    rows.map((row) => [row.id, { domains: [], aliases: [] }]),
  );
  for (const name of names) {
    const site = bySite.get(name.site_id);
    (name.kind === "domain" ? site?.domains : site?.aliases)?.push(name.domain);
  }
  return rows.map((row) => ({ ...row, ...(bySite.get(row.id) as SiteNames) }));
}

/** The site's writable directories (a JSON array the service wrote). */
export const writableDirsOf = (r: Pick<SiteRow, "writable_dirs">): string[] =>
  JSON.parse(r.writable_dirs) as string[];

/** The account's main user owning the site's files on the node, in the account layout. */
const accountUser = (r: SiteRow) =>
  r.applied_layout === "account" && r.main_user ? r.main_user : null;

export function toSite(r: SiteRecord): Site {
  const { domains, aliases } = r;
  const main = accountUser(r);
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
    layout: r.layout,
    moving: r.layout !== r.applied_layout,
    // the users on the node now (a site being moved is still its own user's)
    filesUser: main ?? r.system_user,
    phpUser: r.kind !== "php" ? null : main ? `${main}${CGI_SUFFIX}` : r.system_user,
    phpVersion: r.php_version,
    writableDirs: writableDirsOf(r),
    lastError: r.last_error,
    warning: r.warning,
    taskId: r.task_id,
    createdAt: msToIso(r.created_at),
    updatedAt: msToIso(r.updated_at),
  };
}

/** The orders of the sites list, each an index walk (migration 014). */
export const siteOrder = keyset("sites.id", {
  name: { sql: "sites.primary_domain" },
  createdAt: "id",
  status: { sql: "sites.status" },
  node: { sql: "sites.node_id" },
});

/**
 * On SQLite, up to this many names starting with a search's text, the sites holding them are
 * read into a list that each walk checks its sites against (`id IN (...)`, which SQLite makes
 * again for every walk of the union); beyond it, each walk asks of
 * every site it passes whether one of its names starts with the text (`EXISTS`, on the names'
 * site index), stopping at its page. A list of 1,111 names made once per walk cost an account
 * admin's five walks 2.5 ms a page; asking every site costs a walk one probe a site, which a
 * rare text would make every site of the walk (docs/architecture.md, "Lists").
 */
export const NAMES_LISTED = 200;

/**
 * The search's condition on `sites`: by a list of the few names' sites, or a probe. PostgreSQL
 * plans both as the same semi-join by its statistics: there the list, without the count.
 */
async function namedCondition(db: Kysely<Database>, text: string) {
  const prefix = text.toLowerCase();
  const names = db
    .selectFrom("site_domains")
    .where(startsWith(sql.ref("site_domains.domain"), prefix));
  const eb = expressionBuilder<Database, "sites">();
  const listed = eb("sites.id", "in", names.select("site_domains.site_id"));
  if (isPostgres(db)) return listed;
  const counted = await sql<{ n: number | string }>`select count(*) as n from (${names
    .select(sql.lit(1).as("one"))
    .limit(NAMES_LISTED + 1)}) named`.execute(db);
  if (Number(counted.rows[0]?.n ?? 0) <= NAMES_LISTED) return listed;
  return eb.exists(
    names.select(sql.lit(1).as("one")).where("site_domains.site_id", "=", eb.ref("sites.id")),
  );
}

/**
 * A page of sites in the walk's order; the sites an actor sees are read one account (or site)
 * at a time when they are a few (lib/walks.ts).
 */
export async function listSites(
  db: Kysely<Database>,
  scope: ListScope,
  f: {
    node?: string;
    account?: string;
    status?: string;
    q?: string;
    limit: number;
    walk: Walk;
  },
) {
  let q = f.walk.apply(db.selectFrom("sites").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.node) q = q.where("node_id", "=", f.node);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.status) q = q.where("status", "=", f.status as SiteRow["status"]);
  // the sites with a name starting with q: a range of the names' primary key
  if (f.q) q = q.where(await namedCondition(db, f.q));
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
  return f.walk.page(await withNames(db, rows), f.limit, toSite);
}

export async function findSite(db: Kysely<Database>, id: string): Promise<SiteRecord | undefined> {
  const row = await db.selectFrom("sites").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? (await withNames(db, [row]))[0] : undefined;
}

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
export async function setNames(
  db: Kysely<Database>,
  siteId: string,
  rows: { domain: string; kind: SiteNameKind; position: number }[],
) {
  await db.deleteFrom("site_domains").where("site_id", "=", siteId).execute();
  if (rows.length)
    await db
      .insertInto("site_domains")
      .values(rows.map((row) => ({ ...row, site_id: siteId })))
      .execute();
}

export async function deleteSite(db: Kysely<Database>, id: string) {
  await db.deleteFrom("site_domains").where("site_id", "=", id).execute();
  await db.deleteFrom("sites").where("id", "=", id).execute();
}

/** How many sites an account owns (an account that owns any cannot be deleted). */
/** Whether the account has a site on the node (a node it uses: a monitor's location). */
export async function accountUsesNode(db: Kysely<Database>, accountId: string, nodeId: string) {
  const row = await db
    .selectFrom("sites")
    .select("id")
    .where("account_id", "=", accountId)
    .where("node_id", "=", nodeId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countOfAccount(db: Kysely<Database>, accountId: string): Promise<number> {
  const r = await db
    .selectFrom("sites")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Sites the condition keeps, by status (every status present). */
/** Sites by status, each count stopping at countLimit + 1 (lib/sql.ts, boundedCount). */
export async function countByStatus(db: Kysely<Database>, scope: ListScope) {
  const all = scope.where ? db.selectFrom("sites").where(scope.where) : db.selectFrom("sites");
  const counts = await Promise.all(
    siteStatus.options.map((status) =>
      countOfWalks(db, scope.walks, all.where("status", "=", status)),
    ),
  );
  return Object.fromEntries(siteStatus.options.map((s, i) => [s, counts[i] ?? 0])) as Record<
    SiteRow["status"],
    number
  >;
}

/**
 * Failed sites, then those whose last apply warned; the latest change first within each. Each
 * is a walk of a partial index (migration 013): failed and warned sites are few.
 */
export async function needingAttention(
  db: Kysely<Database>,
  visible: Expression<SqlBool>,
  limit: number,
) {
  const latest = (rows: typeof failed) =>
    rows.orderBy("updated_at", "desc").orderBy("id", "desc").limit(limit).execute();
  const failed = db.selectFrom("sites").selectAll().where(visible);
  const [broken, warned] = await Promise.all([
    latest(failed.where("status", "=", sql.lit("failed"))),
    latest(failed.where("warning", "is not", null).where("status", "!=", sql.lit("failed"))),
  ]);
  return (await withNames(db, [...broken, ...warned].slice(0, limit))).map(toSite);
}

/** The primary names of these sites, by id. */
export const siteNames = namesById("sites", "primary_domain");

/**
 * What task titles need of these sites: their primary names by id and, as `extra`, the task
 * removing one (the task a "deleting" site points at); a part of modules/audit/names.ts's
 * statement.
 */
export const siteTitles = namesById(
  "sites",
  "primary_domain",
  sql<string | null>`case when status = 'deleting' then task_id end`,
);

export async function insertSite(db: Kysely<Database>, row: Insertable<SiteTable>) {
  await db.insertInto("sites").values(row).execute();
}

/** Changes columns of a site; `updated_at` is set unless the patch only points at a task. */
export async function updateSite(db: Kysely<Database>, id: string, patch: Updateable<SiteTable>) {
  const touched = Object.keys(patch).some((column) => column !== "task_id");
  await db
    .updateTable("sites")
    .set(touched ? { updated_at: Date.now(), ...patch } : patch)
    .where("id", "=", id)
    .execute();
}

/** The node matches `version` of the row: active (or suspended), unless changed meanwhile. */
export async function markApplied(
  db: Kysely<Database>,
  id: string,
  version: number,
  suspended: boolean,
  /** what the apply warned about (kept on the site until its next apply), or null */
  warning: string | null,
) {
  await db
    .updateTable("sites")
    .set({
      applied_version: version,
      last_error: null,
      warning,
      updated_at: Date.now(),
      status: suspended ? "suspended" : "active",
    })
    .where("id", "=", id)
    .where("desired_version", "=", version)
    .execute();
}

/** Does a site of the account on the node live in the account layout of this main user? */
export async function usesMainUser(
  db: Kysely<Database>,
  accountId: string,
  nodeId: string,
  main: string,
) {
  const row = await db
    .selectFrom("sites")
    .select("id")
    .where("account_id", "=", accountId)
    .where("node_id", "=", nodeId)
    .where("main_user", "=", main)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
