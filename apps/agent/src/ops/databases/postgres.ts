// The PostgreSQL adapter: users are login roles, a grant is database-level privileges plus
// the public schema's (made inside that database), sizes from pg_database_size. Role and
// database statements take no parameters in PostgreSQL, so names and passwords go through
// quote.ts.
import { type GrantLevel, PRIVILEGES } from "@steward/contracts/databases";
import { bytes, type EngineAdapter } from "./adapter.ts";
import { ident, literal } from "./quote.ts";

const DATABASE_LEVEL = ["CONNECT", "TEMPORARY", "CREATE"];
const id = (name: string) => ident("postgres", name);
const lit = (value: string) => literal("postgres", value);

/** The grant's statements: on the database, then inside it (schema public and its tables). */
function grantStatements(role: string, database: string, level: GrantLevel) {
  const onDatabase: string[] = [];
  const inside: string[] = [];
  if (level.kind === "all") {
    onDatabase.push(`GRANT ALL PRIVILEGES ON DATABASE ${id(database)} TO ${id(role)}`);
    inside.push(
      `GRANT ALL ON SCHEMA public TO ${id(role)}`,
      `GRANT ALL ON ALL TABLES IN SCHEMA public TO ${id(role)}`,
      `GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${id(role)}`,
    );
    return { onDatabase, inside };
  }
  const wanted = level.kind === "read-only" ? ["CONNECT", "SELECT"] : level.privileges;
  const allowed = PRIVILEGES.postgres.filter((p) => wanted.includes(p));
  const dbPrivileges = allowed.filter((p) => DATABASE_LEVEL.includes(p));
  const tablePrivileges = allowed.filter((p) => !DATABASE_LEVEL.includes(p));
  if (dbPrivileges.length)
    onDatabase.push(`GRANT ${dbPrivileges.join(", ")} ON DATABASE ${id(database)} TO ${id(role)}`);
  if (tablePrivileges.length)
    inside.push(
      `GRANT USAGE ON SCHEMA public TO ${id(role)}`,
      `GRANT ${tablePrivileges.join(", ")} ON ALL TABLES IN SCHEMA public TO ${id(role)}`,
    );
  return { onDatabase, inside };
}

export const postgresAdapter: EngineAdapter = {
  engine: "postgres",

  async version({ session }) {
    const [row] = await session.query<{ v: string }>("SELECT version() AS v");
    return row?.v ?? "";
  },

  async missingPrivileges({ session }) {
    const [me] = await session.query<{ super: boolean; role: boolean; db: boolean }>(
      "SELECT rolsuper AS super, rolcreaterole AS role, rolcreatedb AS db FROM pg_roles WHERE rolname = current_user",
    );
    if (!me || me.super) return [];
    return [...(me.role ? [] : ["CREATEROLE"]), ...(me.db ? [] : ["CREATEDB"])];
  },

  async listDatabases({ session }) {
    const rows = await session.query<{ name: string; size: string }>(
      `SELECT datname AS name, pg_database_size(datname) AS size FROM pg_database
        WHERE datallowconn AND NOT datistemplate AND datname <> 'postgres' ORDER BY datname`,
    );
    return rows.map((r) => ({ name: r.name, sizeBytes: bytes(r.size) }));
  },

  async listUsers({ session }) {
    const rows = await session.query<{ name: string }>(
      "SELECT rolname AS name FROM pg_roles WHERE rolcanlogin AND rolname !~ '^pg_' AND rolname <> current_user ORDER BY rolname",
    );
    return rows.map((r) => ({ name: r.name, hosts: [] }));
  },

  async databaseExists({ session }, name) {
    return (await session.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).length > 0;
  },

  async userExists({ session }, user) {
    return (
      (await session.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [user.name])).length > 0
    );
  },

  async createDatabase({ session }, spec) {
    const parts = [`CREATE DATABASE ${id(spec.name)}`];
    if (spec.owner) parts.push(`OWNER ${id(spec.owner)}`);
    if (spec.encoding || spec.locale) parts.push("TEMPLATE template0");
    if (spec.encoding) parts.push(`ENCODING ${lit(spec.encoding)}`);
    if (spec.locale) parts.push(`LOCALE ${lit(spec.locale)}`);
    await session.query(parts.join(" "));
  },

  async dropDatabase({ session }, name) {
    await session.query(`DROP DATABASE IF EXISTS ${id(name)} WITH (FORCE)`);
  },

  async createUser({ session }, spec) {
    const limit = spec.connectionLimit === null ? "" : ` CONNECTION LIMIT ${spec.connectionLimit}`;
    await session.query(
      `CREATE ROLE ${id(spec.name)} LOGIN PASSWORD ${lit(spec.password)}${limit}`,
    );
  },

  async dropUser(admin, user, databases) {
    const exists = await admin.session.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [
      user.name,
    ]);
    if (exists.length === 0) return;
    // a CREATEROLE admin (not a superuser) may drop a role's objects only as its member
    await admin.session.query(`GRANT ${id(user.name)} TO CURRENT_USER`);
    for (const database of databases)
      if (await this.databaseExists(admin, database))
        await admin.inDatabase(database, (s) => s.query(`DROP OWNED BY ${id(user.name)}`));
    await admin.session.query(`DROP OWNED BY ${id(user.name)}`);
    await admin.session.query(`DROP ROLE ${id(user.name)}`);
  },

  async setPassword({ session }, user, password) {
    await session.query(`ALTER ROLE ${id(user.name)} PASSWORD ${lit(password)}`);
  },

  async grant(admin, user, database, level) {
    const { onDatabase, inside } = grantStatements(user.name, database, level);
    for (const statement of onDatabase) await admin.session.query(statement);
    if (inside.length)
      await admin.inDatabase(database, async (s) => {
        // a CREATEROLE admin (not a superuser) grants on other roles' tables only as a member
        // of their owners (the users it made: the database's own user creates its tables)
        const owners = await s.query<{ owner: string }>(
          "SELECT DISTINCT tableowner AS owner FROM pg_catalog.pg_tables WHERE schemaname = 'public' AND NOT pg_has_role(current_user, tableowner, 'USAGE')",
        );
        for (const { owner } of owners) await s.query(`GRANT ${id(owner)} TO CURRENT_USER`);
        for (const statement of inside) await s.query(statement);
      });
  },

  async revoke(admin, user, database) {
    await admin.session.query(
      `REVOKE ALL PRIVILEGES ON DATABASE ${id(database)} FROM ${id(user.name)}`,
    );
    await admin.inDatabase(database, async (s) => {
      for (const what of [
        "ALL TABLES IN SCHEMA public",
        "ALL SEQUENCES IN SCHEMA public",
        "SCHEMA public",
      ])
        await s.query(`REVOKE ALL ON ${what} FROM ${id(user.name)}`);
    });
  },
};
