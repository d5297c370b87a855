import { type Migration, sql } from "kysely";

/**
 * Backups (C15, issue 15), first part: the destinations artifacts go to. Their settings as
 * JSON without the secrets, which are sealed together with the master key (S3's secret key,
 * SFTP's password and key, FTP's password); the last "test destination" result. An account's
 * destination, or a shared one (no account) that only super users manage. Every list order is
 * an index walk: creation (the id) and name, for everyone and within an account.
 */
export const m039_backup_destinations = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("backup_destinations")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text")
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      /** JSON: the kind's settings without its secrets */
      .addColumn("settings", "text", (c) => c.notNull())
      /** the secret fields as JSON, sealed with the master key */
      .addColumn("secrets_sealed", "text", (c) => c.notNull())
      /** JSON array: the names of the sealed fields, answered without opening the seal */
      .addColumn("secret_names", "text", (c) => c.notNull())
      /** JSON: the last test's result */
      .addColumn("last_test", "text")
      .addColumn("tested_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    const indexes: [string, string][] = [
      ["backup_destinations_account_idx", "account_id, id"],
      ["backup_destinations_name_idx", "name, id"],
      ["backup_destinations_account_name_idx", "account_id, name, id"],
    ];
    for (const [name, columns] of indexes)
      await sql`create index ${sql.id(name)} on backup_destinations (${sql.raw(columns)})`.execute(
        db,
      );
  },
});
