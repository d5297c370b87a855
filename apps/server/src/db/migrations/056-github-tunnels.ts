import { type Migration, sql } from "kysely";

/**
 * GitHub templates and Cloudflare tunnels (issue 16). `github_app`: the installation's one
 * GitHub App (id, private key sealed, the key's fingerprint, a default owner). `github_templates`:
 * the catalog, a template repository per account that may generate from it.
 * `github_repositories`: the repositories generated, their state and clone URL.
 * `tunnels`: a node's cloudflared tunnel (Cloudflare account and tunnel ids, the zone its
 * hostnames are routed in, the API token sealed, the service restarted to apply); `tunnel_routes`:
 * the hostnames Steward added to its ingress, each to a local port, with their DNS record.
 */
export const m056_github_tunnels = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("github_app")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("app_id", "bigint", (c) => c.notNull())
      .addColumn("private_key_enc", "text", (c) => c.notNull())
      .addColumn("key_fingerprint", "text", (c) => c.notNull())
      .addColumn("default_owner", "text")
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("github_templates")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("owner", "text", (c) => c.notNull())
      .addColumn("repo", "text", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull())
      .addColumn("default_branch", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addUniqueConstraint("github_templates_account_repo_key", ["account_id", "owner", "repo"])
      .execute();
    await sql`create index github_templates_account_idx on github_templates (account_id, id)`.execute(
      db,
    );
    await db.schema
      .createTable("github_repositories")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("template_id", "text")
      .addColumn("owner", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("private", "integer", (c) => c.notNull())
      .addColumn("include_all_branches", "integer", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("clone_url", "text")
      .addColumn("html_url", "text")
      .addColumn("error", "text")
      .addColumn("task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await sql`create index github_repositories_account_idx on github_repositories (account_id, id)`.execute(
      db,
    );
    await db.schema
      .createTable("tunnels")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("node_id", "text", (c) => c.notNull().unique())
      .addColumn("cf_account_id", "text", (c) => c.notNull())
      .addColumn("tunnel_id", "text", (c) => c.notNull())
      .addColumn("zone", "text", (c) => c.notNull())
      .addColumn("token_enc", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("tunnel_routes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tunnel_id", "text", (c) => c.notNull().references("tunnels.id"))
      .addColumn("hostname", "text", (c) => c.notNull().unique())
      .addColumn("port", "integer", (c) => c.notNull())
      .addColumn("dns_record_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await sql`create index tunnel_routes_tunnel_idx on tunnel_routes (tunnel_id, id)`.execute(db);
  },
});
