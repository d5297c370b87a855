import type { Kysely, Migration } from "kysely";

/**
 * A site's names live in one place (issue 10): `site_domains`, which already kept every name
 * unique across sites, now says what each name is (one of the site's domains, an alias, or the
 * www counterpart a redirect answers to) and in which order; the JSON columns `sites.domains`
 * and `sites.aliases` that repeated them are dropped. Existing rows are rewritten from those
 * columns (the www counterparts as the panel derived them: only with a redirect).
 */
type Names = { id: string; domains: string; aliases: string; redirect: string };

function rowsOf(site: Names) {
  const domains = JSON.parse(site.domains) as string[];
  const aliases = JSON.parse(site.aliases) as string[];
  const rows = new Map<string, { kind: string; position: number }>();
  const add = (names: string[], kind: string) => {
    for (const [position, name] of names.entries())
      if (!rows.has(name)) rows.set(name, { kind, position });
  };
  add(domains, "domain");
  add(aliases, "alias");
  if (site.redirect !== "none")
    add(
      domains.map((name) => (name.startsWith("www.") ? name.slice(4) : `www.${name}`)),
      "www",
    );
  return [...rows].map(([domain, r]) => ({ domain, site_id: site.id, ...r }));
}

export const m011_site_names = (): Migration => ({
  async up(untyped) {
    await untyped.schema
      .alterTable("site_domains")
      .addColumn("kind", "text", (c) => c.notNull().defaultTo("domain"))
      .execute();
    await untyped.schema
      .alterTable("site_domains")
      .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    const db = untyped as Kysely<{
      sites: Names;
      site_domains: { domain: string; site_id: string; kind: string; position: number };
    }>;
    const sites = await db
      .selectFrom("sites")
      .select(["id", "domains", "aliases", "redirect"])
      .execute();
    for (const site of sites) {
      await db.deleteFrom("site_domains").where("site_id", "=", site.id).execute();
      const rows = rowsOf(site);
      if (rows.length) await db.insertInto("site_domains").values(rows).execute();
    }
    await untyped.schema.alterTable("sites").dropColumn("domains").execute();
    await untyped.schema.alterTable("sites").dropColumn("aliases").execute();
  },
});
