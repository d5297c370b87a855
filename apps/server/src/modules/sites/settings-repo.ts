// SQL of a site's directory protection and PHP settings (migration 066), nothing else.
import type { PhpSettings, ProtectedLocation } from "@steward/contracts/agent";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";

/** The protected paths of a site, in their order, with their users' hashes. */
export async function protectionOf(db: Kysely<Database>, siteId: string) {
  const rows = await db
    .selectFrom("site_protected_paths")
    .select(["path", "users"])
    .where("site_id", "=", siteId)
    .orderBy("position")
    .execute();
  return rows.map(
    (r): ProtectedLocation => ({
      path: r.path,
      users: JSON.parse(r.users) as ProtectedLocation["users"],
    }),
  );
}

/** Replaces the site's protected paths with these (in the caller's transaction). */
export async function setProtection(
  db: Kysely<Database>,
  siteId: string,
  paths: ProtectedLocation[],
) {
  await db.deleteFrom("site_protected_paths").where("site_id", "=", siteId).execute();
  if (!paths.length) return;
  await db
    .insertInto("site_protected_paths")
    .values(
      paths.map((p, position) => ({
        site_id: siteId,
        path: p.path,
        position,
        users: JSON.stringify(p.users),
      })),
    )
    .execute();
}

export async function phpSettingsOf(db: Kysely<Database>, siteId: string): Promise<PhpSettings> {
  const row = await db
    .selectFrom("site_php_settings")
    .select("settings")
    .where("site_id", "=", siteId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.settings) as PhpSettings) : {};
}

export async function setPhpSettings(db: Kysely<Database>, siteId: string, settings: PhpSettings) {
  await db
    .insertInto("site_php_settings")
    .values({ site_id: siteId, settings: JSON.stringify(settings), updated_at: Date.now() })
    .onConflict((oc) =>
      oc
        .column("site_id")
        .doUpdateSet({ settings: JSON.stringify(settings), updated_at: Date.now() }),
    )
    .execute();
}
