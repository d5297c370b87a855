import { type Migration, sql } from "kysely";

/**
 * Certificates (C9): one per site for now (its names, key type, state, the installed one's
 * serial and validity, the last error, when renewal is due), and the installation's ACME
 * accounts, one per directory URL, their keys sealed with the master key. Every order the
 * list takes is an index walk: expiry (`coalesce(not_after, 0)`: pending ones first) and
 * creation (the id), for everyone and within an account or a site.
 */
export const m024_certificates = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("certificates")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.notNull().unique())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("node_id", "text", (c) => c.notNull())
      .addColumn("names", "text", (c) => c.notNull())
      .addColumn("key_type", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("hsts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("serial", "text")
      .addColumn("issuer", "text")
      .addColumn("not_before", "bigint")
      .addColumn("not_after", "bigint")
      .addColumn("renew_at", "bigint")
      .addColumn("last_error", "text")
      .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
      /** the last expiry warning raised (21, 7 or 1 days left); null after an install */
      .addColumn("warned_days", "integer")
      .addColumn("task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    const expires = "(coalesce(not_after, 0))";
    const indexes: [string, string][] = [
      ["certificates_expires_idx", `${expires}, id`],
      ["certificates_account_idx", "account_id, id"],
      ["certificates_account_expires_idx", `account_id, ${expires}, id`],
      ["certificates_site_expires_idx", `site_id, ${expires}, id`],
      ["certificates_state_idx", "state, id"],
      ["certificates_state_expires_idx", `state, ${expires}, id`],
      ["certificates_account_state_idx", "account_id, state, id"],
      ["certificates_account_state_expires_idx", `account_id, state, ${expires}, id`],
      // the daily scan: what is due, soonest first
      ["certificates_renew_idx", "renew_at, id"],
    ];
    for (const [name, columns] of indexes)
      await sql`create index ${sql.id(name)} on certificates (${sql.raw(columns)})`.execute(db);
    await db.schema
      .createTable("acme_accounts")
      .addColumn("directory", "text", (c) => c.primaryKey())
      .addColumn("key_enc", "text", (c) => c.notNull())
      .addColumn("account_url", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
  },
});
