// The real database servers of the `steward state` database and backup tests: a hermetic
// MariaDB and PostgreSQL, each with an admin that logs in over TCP with a password (the panel
// reaches them as external servers; its allow list names 127.0.0.1), and what a panel holds
// of them: an account's two servers (and another account's, with a database), a database and a user on each (the users' passwords
// given, as apply gives them from the secrets), a node's own server, a local destination, two
// sources (every database of the node's server, a node's directory) and three plans (no
// encryption, the panel's key pair, two recipients' keys).
import { generateKeyPairSync } from "node:crypto";
import {
  type MariadbServer,
  type PostgresServer,
  startMariadb,
  startPostgres,
} from "@steward/testkit";
import type { StatePanel } from "./state-panel.ts";

export const ADMIN_PASSWORD = "state-db-admin-1";
export const USER_PASSWORD = "shop-user-password-1";
export const READER_PASSWORD = "shop-reader-password-1";

/** A raw X25519 public key in base64, as a recipients plan names its keys. */
const recipientKey = () => {
  const { x } = generateKeyPairSync("x25519").publicKey.export({ format: "jwk" });
  return Buffer.from(x ?? "", "base64url").toString("base64");
};

export interface DatabaseServers {
  mariadb: MariadbServer;
  postgres: PostgresServer;
}

export async function startDatabaseServers(): Promise<DatabaseServers> {
  const [mariadb, postgres] = await Promise.all([
    startMariadb(),
    startPostgres({ passwords: true }),
  ]);
  if (!mariadb || !postgres) throw new Error("MariaDB and PostgreSQL are needed");
  await mariadb.sql(
    [
      `CREATE USER 'admin'@'127.0.0.1' IDENTIFIED BY '${ADMIN_PASSWORD}'`,
      "GRANT ALL PRIVILEGES ON *.* TO 'admin'@'127.0.0.1' WITH GRANT OPTION",
    ].join("; "),
  );
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN_PASSWORD}'`);
  await client.end();
  return { mariadb, postgres };
}

/** The secrets file a fresh panel needs for what populateDatabases made. */
export const databaseSecrets = [
  `database-server/shop-mariadb/admin-password: ${ADMIN_PASSWORD}`,
  `database-server/shop-postgres/admin-password: ${ADMIN_PASSWORD}`,
  `database-server/blog-mariadb/admin-password: ${ADMIN_PASSWORD}`,
  `database-user/shop-mariadb--shop_user: ${USER_PASSWORD}`,
  `database-user/shop-postgres--shop_reader: ${READER_PASSWORD}`,
  "",
].join("\n");

export async function populateDatabases(p: StatePanel, servers: DatabaseServers) {
  const shop = await p.api("POST", "/api/v1/accounts", { slug: "shop", name: "Shop" });
  const accountId = shop.id;
  const server = (name: string, engine: string, port: number) =>
    p.api("POST", "/api/v1/database-servers", {
      ...{ name, engine, accountId, placement: "external", host: "127.0.0.1", port },
      ...{ adminUser: "admin", adminPassword: ADMIN_PASSWORD, tls: { mode: "disable" } },
    });
  const maria = await server("Shop MariaDB", "mariadb", servers.mariadb.port);
  const pgs = await server("Shop Postgres", "postgres", servers.postgres.port);
  // another account's server and database on the same MariaDB, which shop's admin never sees
  const blog = await p.api("POST", "/api/v1/accounts", { slug: "blog", name: "Blog" });
  const blogDb = await p.api("POST", "/api/v1/database-servers", {
    ...{ name: "Blog MariaDB", engine: "mariadb", accountId: blog.id, placement: "external" },
    ...{ host: "127.0.0.1", port: servers.mariadb.port, adminUser: "admin" },
    ...{ adminPassword: ADMIN_PASSWORD, tls: { mode: "disable" } },
  });
  await p.api("POST", "/api/v1/databases", { serverId: blogDb.id, name: "blog_app" });
  const [admin] = (await p.api<{ items: { id: string }[] }>("GET", "/api/v1/users?q=admin")).items;
  await p.api("POST", "/api/v1/grants", {
    ...{ principalType: "user", principalId: admin?.id, role: "admin" },
    ...{ scopeType: "account", scopeId: accountId },
  });
  const app = await p.api("POST", "/api/v1/databases", {
    ...{ serverId: maria.id, name: "shop_app", charset: "utf8mb4", collation: "utf8mb4_bin" },
  });
  const orders = await p.api("POST", "/api/v1/databases", {
    ...{ serverId: pgs.id, name: "shop_orders", encoding: "UTF8" },
  });
  await p.api("POST", "/api/v1/database-users", {
    ...{ serverId: maria.id, name: "shop_user", hosts: ["127.0.0.1", "localhost"] },
    ...{ connectionLimit: 10, password: USER_PASSWORD },
    grants: [{ databaseId: app.id, level: { kind: "all" } }],
  });
  await p.api("POST", "/api/v1/database-users", {
    ...{ serverId: pgs.id, name: "shop_reader", password: READER_PASSWORD },
    grants: [{ databaseId: orders.id, level: { kind: "read-only" } }],
  });
  // kept though its test fails (no agent on web-1)
  const dumps = await p.api("POST", "/api/v1/backup-destinations", {
    ...{ name: "Dumps", accountId, saveAnyway: true },
    settings: { kind: "local", nodeId: p.nodeId, path: "/var/backups/shop" },
  });
  // a node's own server: its sources run there (a server the panel reaches cannot be one)
  const nodePg = await p.api("POST", "/api/v1/database-servers", {
    ...{ name: "Node Postgres", engine: "postgres", accountId, placement: "on-node" },
    ...{ nodeId: p.nodeId, saveAnyway: true },
  });
  const source = (name: string, spec: unknown) =>
    p.api("POST", "/api/v1/backup-sources", { name, accountId, source: spec, saveAnyway: true });
  const nodeDbs = await source("Node databases", { kind: "server", serverId: nodePg.id });
  const files = await source("Site files", {
    ...{ kind: "files", nodeId: p.nodeId, path: "/srv/shop", excludes: ["cache/**"] },
  });
  await p.api("POST", "/api/v1/backup-plans", {
    ...{ name: "Nightly", accountId, sourceIds: [files.id] },
    ...{ destinationIds: [dumps.id], schedule: "0 3 * * *", timeZone: "Europe/Berlin" },
    ...{ compressionLevel: 6, retention: { gfs: { daily: 7, weekly: 4 } } },
  });
  await p.api("POST", "/api/v1/backup-plans", {
    ...{ name: "Weekly", accountId, sourceIds: [nodeDbs.id], destinationIds: [dumps.id] },
    ...{ encryption: { mode: "panel" }, enabled: false, verify: { schedule: "@weekly" } },
  });
  await p.api("POST", "/api/v1/backup-plans", {
    ...{ name: "Offsite copy", accountId, sourceIds: [files.id], destinationIds: [dumps.id] },
    encryption: { mode: "recipients", recipients: [recipientKey(), recipientKey()] },
  });
}
