import { type Kysely, type Migration, sql } from "kysely";
import type { Dialect } from "../open.ts";

/**
 * Foreign keys for sites (issue 9): a site belongs to an existing account and node, and its
 * names go with it. Before, deleting an account left its sites running for an account that
 * no longer existed. Sites already orphaned that way are kept (they still run on a node) and
 * given back an account: one per missing id (slug `restored-<id>`), for a super user to review.
 * SQLite cannot add a foreign key to a table: each table is rebuilt from its own CREATE
 * statement (so columns and indexes another migration added are kept) with the keys added.
 */
const KEYS = {
  sites: [
    "foreign key (account_id) references accounts (id)",
    "foreign key (node_id) references nodes (id)",
  ],
  site_domains: ["foreign key (site_id) references sites (id) on delete cascade"],
} as const;

async function restoreMissingAccounts(db: Kysely<unknown>) {
  const now = sql.lit(Date.now());
  await sql`insert into accounts (id, slug, name, created_at, updated_at)
    select distinct s.account_id, 'restored-' || lower(replace(s.account_id, '_', '-')),
      'Restored: owned sites when it was deleted', ${now}, ${now}
    from sites s where not exists (select 1 from accounts a where a.id = s.account_id)`.execute(db);
  // names of sites that no longer exist serve nothing
  await sql`delete from site_domains
    where not exists (select 1 from sites s where s.id = site_domains.site_id)`.execute(db);
}

async function rebuildSqlite(db: Kysely<unknown>, table: keyof typeof KEYS) {
  const objects = await sql<{ type: string; sql: string }>`select type, sql from sqlite_master
    where tbl_name = ${table} and sql is not null`.execute(db);
  const create = objects.rows.find((o) => o.type === "table")?.sql;
  if (!create) throw new Error(`table ${table} not found`);
  const indexes = objects.rows.filter((o) => o.type === "index").map((o) => o.sql);
  const close = create.lastIndexOf(")");
  const renamed = create.replace(/^create table "?\w+"?/i, `create table "${table}_new"`);
  const withKeys = `${renamed.slice(0, close - create.length)}, ${KEYS[table].join(", ")})`;
  await sql.raw(withKeys).execute(db);
  await sql.raw(`insert into "${table}_new" select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${table}_new" rename to "${table}"`).execute(db);
  for (const index of indexes) await sql.raw(index).execute(db);
}

export const m007_site_keys = (dialect: Dialect): Migration => ({
  async up(db) {
    await restoreMissingAccounts(db);
    if (dialect === "sqlite") {
      await rebuildSqlite(db, "sites");
      await rebuildSqlite(db, "site_domains");
      return;
    }
    for (const [table, keys] of Object.entries(KEYS))
      for (const [i, key] of keys.entries())
        await sql.raw(`alter table ${table} add constraint ${table}_fk${i + 1} ${key}`).execute(db);
  },
});
