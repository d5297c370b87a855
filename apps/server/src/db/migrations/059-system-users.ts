import { type Migration, sql } from "kysely";

/**
 * System users of hosting accounts on nodes (issue 19, docs/hosting.md): an account's main
 * user on a node (one per account and node; its CGI user `<name>-cgi` goes with it) and its
 * secondary users, each with its shell access, FTP, SSH public keys (JSON array of lines) and
 * the SHA-512 crypt hash of its password (never the password). A user's name is unique on its
 * node. `status` follows the sysusers.apply task that makes the node match the rows;
 * "deleting" rows go when it succeeds.
 */
export const m059_system_users = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("system_users")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("node_id", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      /** relative to the account's home; "" for the main user */
      .addColumn("home", "text", (c) => c.notNull())
      .addColumn("shell", "text", (c) => c.notNull())
      .addColumn("ftp", "integer", (c) => c.notNull())
      .addColumn("ssh_keys", "text", (c) => c.notNull())
      .addColumn("password_hash", "text")
      .addColumn("status", "text", (c) => c.notNull())
      /** a main user being deleted: its files on the node go too */
      .addColumn("delete_files", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("last_error", "text")
      .addColumn("task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await sql`create index system_users_account_idx on system_users (account_id, id)`.execute(db);
    await sql`create index system_users_account_node_idx on system_users (account_id, node_id, id)`.execute(
      db,
    );
    await sql`create unique index system_users_node_name_idx on system_users (node_id, name)`.execute(
      db,
    );
    await sql`create unique index system_users_main_idx on system_users (account_id, node_id) where kind = 'main'`.execute(
      db,
    );
  },
});
