import { type Migration, sql } from "kysely";

/**
 * The SQL console's history (issue 14): each statement one ran on a database, its mode, how it
 * ended (the error in words), the rows it answered or changed and how long it took; never its
 * results. Listed newest first per database and actor, an index walk.
 */
export const m034_database_queries = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("database_queries")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("database_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text")
      /** the user or API key that ran it */
      .addColumn("actor_id", "text", (c) => c.notNull())
      .addColumn("statement", "text", (c) => c.notNull())
      .addColumn("mode", "text", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("error", "text")
      .addColumn("row_count", "bigint")
      .addColumn("duration_ms", "integer", (c) => c.notNull())
      .addColumn("at", "bigint", (c) => c.notNull())
      .execute();
    await sql`create index database_queries_actor_idx on database_queries (database_id, actor_id, id)`.execute(
      db,
    );
  },
});
