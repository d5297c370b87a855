// The databases the backup bench dumps: one table of rows of about 350 bytes (ids, a name,
// 256 hex characters of MD5s, a number, a time: compressible about 2:1 like ordinary
// application data), filled in batches by the server itself until it holds the size asked.
import type { MariadbServer, PostgresServer } from "@steward/testkit";
import { databaseUrl, withClient } from "@steward/testkit";

export const DATABASE = "benchdata";
const ROW_BYTES = 350;
const BATCH = 200_000;

const batches = (bytes: number) => {
  const rows = Math.max(100, Math.ceil(bytes / ROW_BYTES));
  const out: [number, number][] = [];
  for (let from = 1; from <= rows; from += BATCH)
    out.push([from, Math.min(rows, from + BATCH - 1)]);
  return out;
};

/** `bytes` of rows in PostgreSQL's `benchdata`; answers the database's size */
export async function generatePostgres(
  server: PostgresServer,
  bytes: number,
  say: (m: string) => void,
): Promise<number> {
  const url = await createPostgresDatabase(server, DATABASE);
  return withClient(url, async (c) => {
    await c.query(
      "CREATE TABLE orders (id bigint PRIMARY KEY, customer text, payload text, amount numeric(12,2), at timestamptz)",
    );
    for (const [from, to] of batches(bytes)) {
      await c.query(
        `INSERT INTO orders SELECT g, 'customer ' || (g % 9973), ${md5s("g", "postgres")}, (g % 100000) / 100.0,
           timestamptz '2026-01-01' + g * interval '1 second' FROM generate_series($1::bigint, $2::bigint) g`,
        [from, to],
      );
      say(`postgres: ${to} rows`);
    }
    await c.query("VACUUM ANALYZE orders");
    const size = await c.query("SELECT pg_database_size(current_database()) AS n");
    return Number(size.rows[0].n);
  });
}

/** `bytes` of rows in MariaDB's `benchdata` (InnoDB); answers the table's size */
export async function generateMariadb(
  server: MariadbServer,
  bytes: number,
  say: (m: string) => void,
): Promise<number> {
  await server.sql(
    `CREATE DATABASE ${DATABASE};
     CREATE TABLE ${DATABASE}.orders (id bigint PRIMARY KEY, customer varchar(40), payload text,
       amount decimal(12,2), at datetime) ENGINE=InnoDB`,
  );
  for (const [from, to] of batches(bytes)) {
    await server.sql(
      `USE ${DATABASE}; INSERT INTO orders SELECT seq, CONCAT('customer ', seq % 9973), ${md5s("seq", "mariadb")},
         (seq % 100000) / 100.0, '2026-01-01' + INTERVAL seq SECOND FROM seq_${from}_to_${to}`,
    );
    say(`mariadb: ${to} rows`);
  }
  const size = await server.sql(
    `SELECT data_length + index_length FROM information_schema.tables WHERE table_schema = '${DATABASE}'`,
  );
  return Number(size.trim().split("\n").pop());
}

/** SQL of 256 hex characters from eight MD5s of the row number `n` */
function md5s(n: string, engine: "postgres" | "mariadb"): string {
  const parts = Array.from({ length: 8 }, (_, k) =>
    engine === "postgres" ? `md5((${n} * ${k + 7})::text)` : `MD5(${n} * ${k + 7})`,
  );
  return engine === "postgres" ? `(${parts.join(" || ")})` : `CONCAT(${parts.join(", ")})`;
}

/** an empty database `name` (a plain identifier); answers its URL */
export async function createPostgresDatabase(server: PostgresServer, name: string) {
  await withClient(server.url, (c) => c.query(`CREATE DATABASE ${name}`));
  return databaseUrl(server.url, name);
}
