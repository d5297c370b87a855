// bench:databases' database servers: a hermetic MariaDB and PostgreSQL, each with an admin who
// logs in over TCP with a password (what Steward's external servers and the floor's clients
// use), stopped on SIGINT/SIGTERM too.
import type { DatabaseEngine } from "@steward/contracts/databases";
import { startMariadb, startPostgres } from "@steward/testkit";

export const ADMIN = { user: "bench_admin", password: "bench-admin-password-1" };

export interface BenchServer {
  engine: DatabaseEngine;
  port: number;
  stop(): Promise<void>;
}

const running = new Set<BenchServer>();
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    void Promise.all([...running].map((s) => s.stop())).finally(() => process.exit(130));
  });

export async function startServer(engine: DatabaseEngine): Promise<BenchServer> {
  let server: BenchServer;
  if (engine === "mariadb") {
    const m = await startMariadb();
    if (!m) throw new Error("MariaDB is needed (apt-get install mariadb-server)");
    await m.sql(
      `CREATE USER '${ADMIN.user}'@'127.0.0.1' IDENTIFIED BY '${ADMIN.password}'; GRANT ALL PRIVILEGES ON *.* TO '${ADMIN.user}'@'127.0.0.1' WITH GRANT OPTION`,
    );
    server = { engine, port: m.port, stop: () => m.stop() };
  } else {
    const p = await startPostgres({ passwords: true });
    if (!p) throw new Error("PostgreSQL is needed (apt-get install postgresql)");
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: p.url });
    await client.connect();
    await client.query(
      `CREATE ROLE ${ADMIN.user} LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN.password}'`,
    );
    await client.end();
    server = { engine, port: p.port, stop: () => p.stop() };
  }
  running.add(server);
  return {
    ...server,
    stop: async () => {
      running.delete(server);
      await server.stop();
    },
  };
}
