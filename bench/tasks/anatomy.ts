// `node tools/run.mjs node bench/tasks/anatomy.ts [--tasks N] [--rounds N] [--only a,b] [--pg URL]`:
// where a drain's work goes, per task, for Steward on PostgreSQL (its tasks kept or deleted) and graphile-worker tuned
// (the systems of run.ts): WAL bytes (pg_current_wal_lsn before and after), row versions
// (pg_stat_user_tables: updates, of which HOT, deletes), PostgreSQL's CPU (every process of
// the cluster, from /proc) and this process's CPU (the engine or graphile-worker runs here),
// in µs per task. `--pg URL` uses a running local cluster (superuser URL) instead of a
// hermetic one: one started with `shared_preload_libraries=pg_stat_statements` adds each
// system's statements (calls, rows, ms and WAL bytes per call). Run with `node --cpu-prof` for
// the JS side. Progress on stderr, one JSON line per system and round on stdout.
import { readdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startPostgres } from "@steward/testkit";
import pg from "pg";
import { graphileWorker } from "./graphile.ts";
import { drain, Recorder, type Settings, type System } from "./harness.ts";
import { stewardPostgres, stewardPostgresDelete } from "./steward.ts";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "20000" },
    rounds: { type: "string", default: "2" },
    only: { type: "string" },
    pg: { type: "string" },
  },
});
const say = (m: string) => process.stderr.write(`anatomy: ${m}\n`);
const TICK_US = 10_000; // /proc's clock ticks (USER_HZ 100)

/** CPU µs used so far by every process of the cluster (the postmaster's children). */
function clusterCpuUs(postmaster: number): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      if (ppid !== postmaster && Number(entry) !== postmaster) continue;
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * TICK_US;
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** pg_stat_statements' top statements since the last reset, when the cluster has it. */
async function statements(url: string, reset: boolean) {
  try {
    if (reset) {
      await query(url, "create extension if not exists pg_stat_statements");
      await query(url, "select pg_stat_statements_reset()");
      return [];
    }
    return await query<Record<string, unknown>>(
      url,
      `select calls::int, rows::int, round(mean_exec_time::numeric, 3)::float8 as ms,
         round(wal_bytes / calls)::int as wal, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as sql
       from pg_stat_statements where calls > 0 order by total_exec_time desc limit 8`,
    );
  } catch {
    return []; // not preloaded
  }
}

type Tables = { relname: string; ins: number; upd: number; hot: number; del: number }[];

/** The row versions written in the newest database (the system's own), by table. */
async function tableCounters(adminUrl: string): Promise<Tables> {
  const [db] = await query<{ datname: string }>(
    adminUrl,
    "select datname from pg_database order by oid desc limit 1",
  );
  const url = new URL(adminUrl);
  url.pathname = `/${db?.datname}`;
  return query(
    url.toString(),
    `select relname, n_tup_ins::int as ins, n_tup_upd::int as upd, n_tup_hot_upd::int as hot,
       n_tup_del::int as del from pg_stat_user_tables
     where n_tup_ins + n_tup_upd + n_tup_del > 0 order by relname`,
  );
}

async function anatomy(system: System, adminUrl: string, postmaster: number, s: Settings) {
  const probe = new Recorder();
  const sut = await system.open(probe, s);
  let lsn = "";
  let pgCpu = 0;
  let nodeCpu = process.cpuUsage();
  let tasksPerSecond = 0;
  let top: Record<string, unknown>[] = [];
  /** the drain's start and end on the clock of a --cpu-prof profile (µs) */
  const window = [0n, 0n];
  try {
    tasksPerSecond = await drain(system.name, sut, probe, s.tasks, say, async () => {
      [{ lsn } = { lsn: "" }] = await query<{ lsn: string }>(
        adminUrl,
        "select pg_current_wal_lsn()::text as lsn",
      );
      await statements(adminUrl, true);
      pgCpu = clusterCpuUs(postmaster);
      nodeCpu = process.cpuUsage();
      window[0] = process.hrtime.bigint() / 1000n;
    });
    window[1] = process.hrtime.bigint() / 1000n;
    nodeCpu = process.cpuUsage(nodeCpu);
    pgCpu = clusterCpuUs(postmaster) - pgCpu;
    top = await statements(adminUrl, false);
  } finally {
    await sut.stop();
  }
  const [wal] = await query<{ bytes: number }>(
    adminUrl,
    `select pg_wal_lsn_diff(pg_current_wal_lsn(), '${lsn}')::float8 as bytes`,
  );
  await new Promise((r) => setTimeout(r, 500)); // the ended backends' statistics flushed
  const tables = await tableCounters(adminUrl);
  const per = (n: number) => Math.round((n / s.tasks) * 10) / 10;
  return {
    system: system.name,
    tasksPerSecond: Math.round(tasksPerSecond),
    walBytesPerTask: per(wal?.bytes ?? 0),
    pgCpuUsPerTask: per(pgCpu),
    nodeCpuUsPerTask: per(nodeCpu.user + nodeCpu.system),
    tables: tables.map((t) => ({
      table: t.relname,
      updatesPerTask: per(t.upd),
      hotPerTask: per(t.hot),
      deletesPerTask: per(t.del),
    })),
    statements: top,
    profileWindowUs: window.map(Number),
  };
}

async function main() {
  const pgServer = values.pg ? { url: values.pg, stop: async () => {} } : await startPostgres();
  if (!pgServer) throw new Error("PostgreSQL binaries are missing");
  try {
    // a child of the postmaster that outlives the query (a backend ends with its connection)
    const [child] = await query<{ pid: number }>(
      pgServer.url,
      "select pid from pg_stat_activity where backend_type = 'checkpointer'",
    );
    const stat = readFileSync(`/proc/${child?.pid}/stat`, "utf8");
    const postmaster = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const s: Settings = {
      concurrency: 10,
      pollMs: 500,
      tasks: Number(values.tasks),
      warmupTasks: 0,
      latencyTasks: 0,
      latencySpacingMs: 0,
    };
    const systems = [
      stewardPostgres(pgServer.url),
      stewardPostgresDelete(pgServer.url),
      graphileWorker(pgServer.url, true),
    ].filter((sys) => !values.only || values.only.split(",").includes(sys.name));
    const warm = { ...s, tasks: 2000 };
    for (const sys of systems) await anatomy(sys, pgServer.url, postmaster, warm);
    for (let round = 0; round < Number(values.rounds); round++)
      for (const sys of systems) {
        const figures = await anatomy(sys, pgServer.url, postmaster, s);
        process.stdout.write(`${JSON.stringify(figures)}\n`);
      }
  } finally {
    await pgServer.stop();
  }
}

await main();
