// The SQL console's part of `bench:databases`: a 1,000,000-row table on a real PostgreSQL,
// read as its own user through the console's runner (the code the panel runs): the first
// page's time (a portal read 200 rows at a time, the rest never fetched), then the whole
// result streamed through (as an export does) with the process's peak RSS, which stays far
// below what a loaded result would take. `node tools/run.mjs node bench/databases/sql-console.ts
// [--json] [--rows N]`: stdout {"sqlConsole":{"rows","firstPageMs","peakRssMb"}}.
import { parseArgs } from "node:util";
import { createDatabase, createUser, queryPage, streamStatement } from "@steward/agent/databases";
import { startPostgres } from "@steward/testkit";

export interface SqlConsoleResult {
  rows: number;
  firstPageMs: number;
  peakRssMb: number;
}

const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

export async function benchSqlConsole(rows = 1_000_000): Promise<SqlConsoleResult> {
  const postgres = await startPostgres({ passwords: true });
  if (!postgres) throw new Error("PostgreSQL is needed");
  try {
    const place = { kind: "socket" as const, path: postgres.socketDir, port: postgres.port };
    const access = {
      engine: "postgres" as const,
      admin: place,
      credentials: { user: "steward" },
      login: place,
    };
    const steps = { step: <T>(_: string, fn: () => Promise<T>) => fn(), onRollback: () => {} };
    await createDatabase(steps, access, { name: "bench" });
    await createUser(
      steps,
      access,
      { name: "bench_u", password: "bench-pass-1", hosts: [], connectionLimit: null },
      [{ database: "bench", level: { kind: "all" } }],
    );
    const tcp = {
      kind: "tcp" as const,
      host: "127.0.0.1",
      port: postgres.port,
      tls: { mode: "disable" as const, ca: null },
    };
    const who = { user: "bench_u", password: "bench-pass-1", database: "bench" };
    const write = (sql: string) =>
      streamStatement(
        "postgres",
        tcp,
        who,
        { sql, params: [], mode: "write", timeoutMs: 600_000 },
        {
          columns: () => {},
          row: () => true,
        },
      );
    say(`making a table of ${rows} rows`);
    await write(
      "CREATE TABLE big (id bigint PRIMARY KEY, name text, amount numeric(12,2), at timestamptz)",
    );
    await write(
      `INSERT INTO big SELECT n, 'row ' || n, n / 100.0, now() FROM generate_series(1, ${Math.trunc(rows)}) AS n`,
    );
    const read = {
      sql: "SELECT * FROM big ORDER BY id",
      params: [],
      mode: "read" as const,
      timeoutMs: 600_000,
    };
    const started = performance.now();
    const page = await queryPage("postgres", tcp, who, read, { skip: 0, limit: 100 });
    const firstPageMs = Math.round((performance.now() - started) * 10) / 10;
    if (!page.truncated || page.rows.length !== 100)
      throw new Error("the first page is not a page");
    say(`first page in ${firstPageMs} ms; streaming the whole result`);
    let seen = 0;
    await streamStatement("postgres", tcp, who, read, { columns: () => {}, row: () => ++seen > 0 });
    if (seen !== rows) throw new Error(`streamed ${seen} rows of ${rows}`);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    return { rows, firstPageMs, peakRssMb };
  } finally {
    await postgres.stop();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      rows: { type: "string", default: "1000000" },
    },
  });
  const sqlConsole = await benchSqlConsole(Number(values.rows));
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ sqlConsole })}\n`
      : `SQL console: ${sqlConsole.rows} rows, first page ${sqlConsole.firstPageMs} ms, peak RSS ${sqlConsole.peakRssMb} MB\n`,
  );
}
