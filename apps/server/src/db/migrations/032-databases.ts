import { type Migration, sql } from "kysely";

/**
 * Databases (C11, issue 14): database servers (on a node: engine and node, no admin password;
 * external: host, port, admin user, its password sealed with the master key, TLS mode and
 * CA, the node that connects or none for the panel), the databases and users Steward made
 * or adopted on them (a user's generated password sealed), a user's grants per database, and
 * the size history of each database. Every list order is an index walk: creation (the id)
 * and name, for everyone and within an account or a server.
 */
export const m032_databases = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("database_servers")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text")
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("engine", "text", (c) => c.notNull())
      .addColumn("placement", "text", (c) => c.notNull())
      .addColumn("node_id", "text")
      .addColumn("host", "text")
      .addColumn("port", "integer")
      .addColumn("admin_user", "text")
      .addColumn("admin_password_sealed", "text")
      .addColumn("tls_mode", "text", (c) => c.notNull().defaultTo("disable"))
      .addColumn("tls_ca", "text")
      .addColumn("via_node_id", "text")
      .addColumn("version", "text")
      .addColumn("size_bytes", "bigint")
      /** JSON: the last connection test's report */
      .addColumn("last_test", "text")
      .addColumn("tested_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("databases")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("server_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text")
      .addColumn("name", "text", (c) => c.notNull())
      /** JSON: charset/collation or encoding/locale/owner as asked */
      .addColumn("options", "text", (c) => c.notNull().defaultTo("{}"))
      /** 1: it existed before and was adopted (Steward never made it) */
      .addColumn("adopted", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("size_bytes", "bigint")
      .addColumn("sized_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addUniqueConstraint("databases_server_name_key", ["server_id", "name"])
      .execute();
    await db.schema
      .createTable("database_users")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("server_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text")
      .addColumn("name", "text", (c) => c.notNull())
      /** JSON array of MariaDB host patterns (empty for PostgreSQL) */
      .addColumn("hosts", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("connection_limit", "integer")
      /** the generated password, sealed; null for an adopted user (its password is its own) */
      .addColumn("password_sealed", "text")
      .addColumn("adopted", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("rotated_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addUniqueConstraint("database_users_server_name_key", ["server_id", "name"])
      .execute();
    await db.schema
      .createTable("database_grants")
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("database_id", "text", (c) => c.notNull())
      /** JSON: the grant level (all, read-only, custom with privileges) */
      .addColumn("level", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("database_grants_pkey", ["user_id", "database_id"])
      .execute();
    await db.schema
      .createTable("database_sizes")
      .addColumn("database_id", "text", (c) => c.notNull())
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("size_bytes", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("database_sizes_pkey", ["database_id", "at"])
      .execute();
    const indexes: [string, string, string][] = [
      ["database_servers_account_idx", "database_servers", "account_id, id"],
      ["database_servers_name_idx", "database_servers", "name, id"],
      ["database_servers_account_name_idx", "database_servers", "account_id, name, id"],
      ["database_servers_node_idx", "database_servers", "node_id, id"],
      ["databases_account_idx", "databases", "account_id, id"],
      ["databases_name_idx", "databases", "name, id"],
      ["databases_account_name_idx", "databases", "account_id, name, id"],
      ["databases_server_idx", "databases", "server_id, id"],
      ["database_users_account_idx", "database_users", "account_id, id"],
      ["database_users_name_idx", "database_users", "name, id"],
      ["database_users_account_name_idx", "database_users", "account_id, name, id"],
      ["database_users_server_idx", "database_users", "server_id, id"],
      ["database_grants_database_idx", "database_grants", "database_id, user_id"],
    ];
    for (const [name, table, columns] of indexes)
      await sql`create index ${sql.id(name)} on ${sql.id(table)} (${sql.raw(columns)})`.execute(db);
  },
});
