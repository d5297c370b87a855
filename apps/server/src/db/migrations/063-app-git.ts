import { type Migration, sql } from "kysely";

/**
 * Git deploys, webhooks, zero-downtime redeploys and ingress through a site (issue 16,
 * docs/apps.md): an app built from a git repository has its source (URL, ref, Dockerfile, a
 * sealed token or deploy key, the deploy key's public half, the webhook's sealed secret, the
 * last commit deployed); webhook deliveries are remembered per app (a replay is refused); each
 * deployment records the commit and the engine's image id it ran and what started it; an app
 * may name a domain, served by a proxy site (the sites module's) whose id it keeps.
 */
export const m063_app_git = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("app_git_sources")
      .addColumn("app_id", "text", (c) => c.primaryKey())
      .addColumn("url", "text", (c) => c.notNull())
      .addColumn("ref", "text", (c) => c.notNull())
      .addColumn("dockerfile", "text", (c) => c.notNull())
      /** https remotes: the token, sealed with the master key */
      .addColumn("token_sealed", "text")
      /** ssh remotes: the deploy key (OpenSSH private key), sealed */
      .addColumn("deploy_key_sealed", "text")
      /** ssh remotes: the deploy key's public half (ssh-ed25519 ...) */
      .addColumn("public_key", "text")
      /** the webhook's HMAC secret, sealed */
      .addColumn("webhook_secret_sealed", "text", (c) => c.notNull())
      .addColumn("last_commit", "text")
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("app_webhook_deliveries")
      .addColumn("app_id", "text", (c) => c.notNull())
      .addColumn("delivery_id", "text", (c) => c.notNull())
      .addColumn("received_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("app_webhook_deliveries_pk", ["app_id", "delivery_id"])
      .execute();
    await sql`create index app_webhook_deliveries_time_idx on app_webhook_deliveries (app_id, received_at)`.execute(
      db,
    );
    await db.schema.alterTable("app_deployments").addColumn("commit_sha", "text").execute();
    await db.schema.alterTable("app_deployments").addColumn("image_id", "text").execute();
    await db.schema
      .alterTable("app_deployments")
      .addColumn("trigger", "text", (c) => c.notNull().defaultTo("manual"))
      .execute();
    await db.schema.alterTable("apps").addColumn("domain", "text").execute();
    await db.schema.alterTable("apps").addColumn("site_id", "text").execute();
  },
});
