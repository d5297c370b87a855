// Every line of SQL of the cms_extensions table (migration 065, docs/cms.md#fleet-views): each
// site's extensions and core, rewritten at its refresh; the fleet's lists walk an account's rows
// newest first by (account, id), (account, slug, id), (account, outdated, id) or (account,
// abandoned, id); the sites' names read by their ids for the answer (cms_sites read only). And
// cms_plugin_releases (migration 075): wordpress.org's last release of each plugin, cached.
import type { CmsInfo, CmsKind } from "@steward/contracts";
import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { type ListScope, pageOfWalks } from "../../lib/walks.ts";
import { coreName } from "./client.ts";

/** A WordPress plugin's slug in wordpress.org's directory (its folder), or null. */
export function directorySlug(type: string, slug: string): string | null {
  const m = type === "plugin" ? /^([a-z0-9][a-z0-9-]{0,99})\/[^/]+\.php$/.exec(slug) : null;
  return m?.[1] ?? null;
}

/**
 * The site's rows as its refresh found them: one for the core, one per extension; a WordPress
 * plugin's last release as the cache knows it, abandoned when before `abandonedBefore`.
 */
export async function replaceSiteExtensions(
  db: Kysely<Database>,
  site: { id: string; account_id: string; kind: CmsKind },
  info: CmsInfo,
  abandonedBefore = 0,
) {
  const now = Date.now();
  const known = site.kind === "wordpress" ? info.extensions : [];
  const releases = await cachedReleases(
    db,
    known.map((e) => directorySlug(e.type, e.slug)).filter((s): s is string => s !== null),
  );
  const rows = [
    {
      type: "core",
      slug: site.kind,
      name: coreName(site.kind),
      version: info.core,
      update: info.coreUpdate,
      active: true,
    },
    ...info.extensions.map((e) => ({ ...e, update: e.update })),
  ].map((e) => ({
    id: newId("cmx"),
    account_id: site.account_id,
    site_id: site.id,
    type: e.type,
    slug: e.slug,
    name: e.name,
    version: e.version,
    update_version: e.update,
    active: e.active ? 1 : 0,
    outdated: e.update === null ? 0 : 1,
    refreshed_at: now,
    ...released(
      site.kind === "wordpress" ? releases.get(directorySlug(e.type, e.slug) ?? "") : null,
      abandonedBefore,
    ),
  }));
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("cms_extensions").where("site_id", "=", site.id).execute();
    for (let i = 0; i < rows.length; i += 50)
      await trx
        .insertInto("cms_extensions")
        .values(rows.slice(i, i + 50))
        .execute();
  });
}

const released = (at: number | null | undefined, before: number) => ({
  released_at: at ?? null,
  abandoned: at != null && at < before ? 1 : 0,
});

/** The cached releases of these directory slugs (null: not in the directory). */
export async function cachedReleases(db: Kysely<Database>, slugs: string[]) {
  const out = new Map<string, number | null>();
  const unique = [...new Set(slugs)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom("cms_plugin_releases")
      .select(["slug", "last_updated"])
      .where("slug", "in", unique.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.slug, r.last_updated);
  }
  return out;
}

/** The fleet's WordPress plugins (folder/file.php) whose directory slug was not looked up since `since`. */
export async function staleDirectorySlugs(db: Kysely<Database>, since: number, limit: number) {
  const rows = await db
    .selectFrom("cms_extensions")
    .select("slug")
    .distinct()
    .where("type", "=", "plugin")
    .execute();
  const slugs = [
    ...new Set(rows.map((r) => directorySlug("plugin", r.slug)).filter((s) => s !== null)),
  ];
  const cached = await db
    .selectFrom("cms_plugin_releases")
    .select("slug")
    .where("fetched_at", ">=", since)
    .execute();
  const fresh = new Set(cached.map((r) => r.slug));
  return slugs.filter((s) => !fresh.has(s)).slice(0, limit);
}

/** Keeps what the directory said of a plugin, and marks the fleet's rows of it. */
export async function saveRelease(
  db: Kysely<Database>,
  slug: string,
  lastUpdated: number | null,
  abandonedBefore: number,
) {
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("cms_plugin_releases")
      .values({ slug, last_updated: lastUpdated, fetched_at: now })
      .onConflict((oc) =>
        oc.column("slug").doUpdateSet({ last_updated: lastUpdated, fetched_at: now }),
      )
      .execute();
    await trx
      .updateTable("cms_extensions")
      .set(released(lastUpdated, abandonedBefore))
      .where("type", "=", "plugin")
      .where("slug", ">", `${slug}/`)
      .where("slug", "<", `${slug}0`)
      .execute();
  });
}

/** Marks again what is abandoned under the limit in force (it is a setting). */
export async function markAbandoned(db: Kysely<Database>, abandonedBefore: number) {
  await db
    .updateTable("cms_extensions")
    .set({ abandoned: sql<number>`case when released_at < ${abandonedBefore} then 1 else 0 end` })
    .where("released_at", "is not", null)
    .execute();
}

export interface ExtensionFilter {
  account?: string | undefined;
  slug?: string | undefined;
  outdated?: boolean | undefined;
  abandoned?: boolean | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** A page of the rows the scope lets the caller see (limit + 1, for the next cursor), newest first. */
export async function listExtensions(db: Kysely<Database>, scope: ListScope, f: ExtensionFilter) {
  let q = db
    .selectFrom("cms_extensions")
    .selectAll()
    .orderBy("id", "desc")
    .limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account !== undefined) q = q.where("account_id", "=", f.account);
  if (f.slug !== undefined) q = q.where("slug", "=", f.slug);
  if (f.outdated !== undefined) q = q.where("outdated", "=", f.outdated ? 1 : 0);
  if (f.abandoned !== undefined) q = q.where("abandoned", "=", f.abandoned ? 1 : 0);
  if (f.cursor) q = q.where("id", "<", f.cursor);
  return pageOfWalks(db, scope.walks, f.limit + 1, q);
}
export type ExtensionRow = Awaited<ReturnType<typeof listExtensions>>[number];

/** The names and addresses of the sites of a page's rows, by id (the primary key). */
export async function siteNames(db: Kysely<Database>, ids: string[]) {
  if (ids.length === 0) return new Map<string, { name: string; url: string }>();
  const rows = await db
    .selectFrom("cms_sites")
    .select(["id", "name", "url"])
    .where("id", "in", [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, url: r.url }]));
}
