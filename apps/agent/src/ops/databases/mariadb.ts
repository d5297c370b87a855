// The MariaDB adapter: accounts are 'user'@'host' (one per host pattern), database-level
// grants on `db`.*, sizes from information_schema. DDL commits by itself in MariaDB, so
// manage.ts undoes a failed step by its opposite.
import { type GrantLevel, PRIVILEGES } from "@steward/contracts/databases";
import { bytes, type EngineAdapter, type UserRef } from "./adapter.ts";
import { account, ident, literal } from "./quote.ts";

const SYSTEM = new Set(["mysql", "information_schema", "performance_schema", "sys"]);
const READ_ONLY = ["SELECT", "SHOW VIEW"];

/** The privileges of a grant level, taken from the allow-list (never from the input text). */
function privileges(level: GrantLevel): string {
  if (level.kind === "all") return "ALL PRIVILEGES";
  const wanted = level.kind === "read-only" ? READ_ONLY : level.privileges;
  return PRIVILEGES.mariadb.filter((p) => wanted.includes(p)).join(", ");
}

const NEEDED = ["CREATE", "DROP", "CREATE USER", "GRANT OPTION", "RELOAD"] as const;

/** The global privileges a SHOW GRANTS answer gives (ALL PRIVILEGES counts as all). */
function globalPrivileges(grants: string[]): Set<string> {
  const out = new Set<string>();
  for (const line of grants) {
    const match = /^GRANT (.+) ON \*\.\* TO .*?( WITH GRANT OPTION)?$/.exec(line);
    if (!match?.[1]) continue;
    if (match[2]) out.add("GRANT OPTION");
    for (const p of match[1].split(",").map((s) => s.trim())) {
      if (p !== "ALL PRIVILEGES") out.add(p);
      else for (const all of NEEDED) if (all !== "GRANT OPTION") out.add(all);
    }
  }
  return out;
}

const hostsOf = (user: UserRef) => (user.hosts.length ? user.hosts : ["localhost"]);

export const mariadbAdapter: EngineAdapter = {
  engine: "mariadb",

  async version({ session }) {
    const [row] = await session.query<{ v: string }>("SELECT VERSION() AS v");
    return row?.v ?? "";
  },

  async missingPrivileges({ session }) {
    const rows = await session.query<Record<string, string>>("SHOW GRANTS FOR CURRENT_USER()");
    const have = globalPrivileges(rows.map((r) => Object.values(r)[0] ?? ""));
    return NEEDED.filter((p) => p !== "RELOAD" && !have.has(p));
  },

  async listDatabases({ session }) {
    const rows = await session.query<{ name: string; size: string | null }>(
      `SELECT s.schema_name AS name, SUM(t.data_length + t.index_length) AS size
         FROM information_schema.schemata s
         LEFT JOIN information_schema.tables t ON t.table_schema = s.schema_name
        GROUP BY s.schema_name ORDER BY s.schema_name`,
    );
    return rows
      .filter((r) => !SYSTEM.has(r.name))
      .map((r) => ({ name: r.name, sizeBytes: bytes(r.size) }));
  },

  async listUsers({ session }) {
    const rows = await session.query<{ user: string; host: string }>(
      "SELECT User AS user, Host AS host FROM mysql.user WHERE User <> '' AND User NOT IN ('root', 'mariadb.sys', 'mysql') ORDER BY User, Host",
    );
    const byName = new Map<string, string[]>();
    for (const r of rows) byName.set(r.user, [...(byName.get(r.user) ?? []), r.host]);
    return [...byName].map(([name, hosts]) => ({ name, hosts }));
  },

  async databaseExists({ session }, name) {
    const rows = await session.query(
      "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?",
      [name],
    );
    return rows.length > 0;
  },

  async userExists({ session }, user) {
    const rows = await session.query("SELECT 1 FROM mysql.user WHERE User = ? AND Host IN (?)", [
      user.name,
      hostsOf(user),
    ]);
    return rows.length > 0;
  },

  async createDatabase({ session }, spec) {
    const charset = spec.charset ? ` CHARACTER SET ${literal("mariadb", spec.charset)}` : "";
    const collation = spec.collation ? ` COLLATE ${literal("mariadb", spec.collation)}` : "";
    await session.query(`CREATE DATABASE ${ident("mariadb", spec.name)}${charset}${collation}`);
  },

  async dropDatabase({ session }, name) {
    await session.query(`DROP DATABASE IF EXISTS ${ident("mariadb", name)}`);
  },

  async createUser({ session }, spec) {
    const limit =
      spec.connectionLimit === null ? "" : ` WITH MAX_USER_CONNECTIONS ${spec.connectionLimit}`;
    const accounts = hostsOf(spec).map(
      (h) => `${account(spec.name, h)} IDENTIFIED BY ${literal("mariadb", spec.password)}${limit}`,
    );
    for (const one of accounts) await session.query(`CREATE USER ${one}`);
  },

  async dropUser({ session }, user) {
    for (const host of hostsOf(user))
      await session.query(`DROP USER IF EXISTS ${account(user.name, host)}`);
  },

  async setPassword({ session }, user, password) {
    for (const host of hostsOf(user))
      await session.query(
        `ALTER USER ${account(user.name, host)} IDENTIFIED BY ${literal("mariadb", password)}`,
      );
  },

  async grant({ session }, user, database, level) {
    for (const host of hostsOf(user))
      await session.query(
        `GRANT ${privileges(level)} ON ${ident("mariadb", database)}.* TO ${account(user.name, host)}`,
      );
  },

  async revoke({ session }, user, database) {
    for (const host of hostsOf(user))
      await session.query(
        `REVOKE ALL PRIVILEGES ON ${ident("mariadb", database)}.* FROM ${account(user.name, host)}`,
      );
  },
};
