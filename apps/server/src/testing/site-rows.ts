// A site as the sites module writes its rows (the site and its names), with no agent to apply
// it: for tests that search or list sites, not serve them.
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { insertSite, setNames } from "../modules/sites/repo.ts";
import { nameRows } from "../modules/sites/rules.ts";

export async function insertSiteRows(
  db: Kysely<Database>,
  site: { id: string; account: string; node: string; domain: string; aliases?: string[] },
) {
  const now = Date.now();
  await insertSite(db, {
    id: site.id,
    account_id: site.account,
    node_id: site.node,
    kind: "static",
    primary_domain: site.domain,
    redirect: "none",
    root: "public",
    upstream: null,
    system_user: `u${site.id.replace(/^site_/, "")}`.slice(0, 32),
    status: "active",
    last_error: null,
    task_id: null,
    created_at: now,
    updated_at: now,
  });
  const names = { domains: [site.domain], aliases: site.aliases ?? [], redirect: "none" as const };
  await setNames(db, site.id, nameRows(names));
}
