import { type Migration, sql } from "kysely";

/**
 * Mail hosting (C12, docs/mail.md): mail domains of an account served by a node, their
 * mailboxes (Dovecot's argon2id hash only: the password never stays in the panel) and their
 * aliases and forwards (a catch-all has an empty local part). Every address is unique across
 * the installation. Lists: domains in creation order for everyone, within an account or a
 * node; a domain's mailboxes and aliases by domain; a node's whole mail state (the apply
 * task) through its domains.
 */
export const m058_mail = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("mail_domains")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("node_id", "text", (c) => c.notNull())
      /** the site (on the same node) whose certificate Postfix and Dovecot serve */
      .addColumn("certificate_site_id", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("last_error", "text")
      .addColumn("task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("mailboxes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("domain_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("address", "text", (c) => c.notNull().unique())
      .addColumn("password_hash", "text", (c) => c.notNull())
      .addColumn("quota_mb", "integer", (c) => c.notNull())
      .addColumn("enabled", "integer", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("mail_aliases")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("domain_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      /** `local@domain`, or `@domain` for the domain's catch-all */
      .addColumn("source", "text", (c) => c.notNull().unique())
      /** JSON array of addresses */
      .addColumn("destinations", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    const indexes: [string, string, string][] = [
      ["mail_domains_account_idx", "mail_domains", "account_id, id"],
      ["mail_domains_node_idx", "mail_domains", "node_id, id"],
      ["mail_domains_account_node_idx", "mail_domains", "account_id, node_id, id"],
      ["mail_domains_certificate_site_idx", "mail_domains", "certificate_site_id"],
      ["mailboxes_domain_idx", "mailboxes", "domain_id, id"],
      ["mail_aliases_domain_idx", "mail_aliases", "domain_id, id"],
    ];
    for (const [name, table, columns] of indexes)
      await sql`create index ${sql.id(name)} on ${sql.id(table)} (${sql.raw(columns)})`.execute(db);
  },
});
