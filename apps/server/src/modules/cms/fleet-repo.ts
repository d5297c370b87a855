// Every line of SQL of the cms_extensions table (migration 065, docs/cms.md#fleet-views): each
// site's extensions and core, rewritten at its refresh; the fleet's lists walk an account's rows
// newest first by (account, id), (account, slug, id) or (account, outdated, id); the sites' names
// read by their ids for the answer (cms_sites read only).
import type { CmsInfo, CmsKind } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { type ListScope, pageOfWalks } from "../../lib/walks.ts";
import { coreName } from "./client.ts";

/** The site's rows as its refresh found them: one for the core, one per extension. */
export async function replaceSiteExtensions(
  db: Kysely<Database>,
  site: { id: string; account_id: string; kind: CmsKind },
  info: CmsInfo,
) {
  const now = Date.now();
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

export interface ExtensionFilter {
  account?: string | undefined;
  slug?: string | undefined;
  outdated?: boolean | undefined;
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
