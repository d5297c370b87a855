import { type Migration, sql } from "kysely";

/**
 * The engine filter of the databases and users lists (issue 14, docs/databases.md): each row
 * carries its server's engine (a server's engine never changes), filled from the servers, and
 * every order of both lists is an index walk beside the engine, alone or in an account (the
 * scope of an account's admins and readers).
 */
export const m050_database_engines = (): Migration => ({
  async up(db) {
    for (const table of ["databases", "database_users"]) {
      await sql`alter table ${sql.id(table)} add column engine text not null default 'mariadb'`.execute(
        db,
      );
      await sql`update ${sql.id(table)} set engine = (select s.engine from database_servers s
        where s.id = ${sql.ref(`${table}.server_id`)})`.execute(db);
      const indexes: [string, string][] = [
        ["engine_idx", "engine, id"],
        ["engine_name_idx", "engine, name, id"],
        ["account_engine_idx", "account_id, engine, id"],
        ["account_engine_name_idx", "account_id, engine, name, id"],
      ];
      for (const [name, columns] of indexes)
        await sql`create index ${sql.id(`${table}_${name}`)} on ${sql.id(table)} (${sql.raw(columns)})`.execute(
          db,
        );
    }
  },
});
