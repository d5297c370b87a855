// `node tools/run.mjs node bench/load/auth.ts [-- --json] [--db sqlite,postgres] [--rounds N]
// [--duration S] [--warmup S] [--connections N] [--profile DIR]`: what authentication costs.
// For each database a fresh `steward serve`, then --rounds rounds of, one after another,
// --connections clients for --duration seconds against `/healthz` without credentials (the
// floor), `/api/v1/me` with an API key and `/api/v1/me` with a session cookie (issue 11:
// `/me` within 2x `/healthz`); the median of the rounds, so the machine's drift lands on all
// three alike. With the serve process's CPU per answer (its /metrics), which moves least with
// the machine's other load. The load comes from bench/load/generate.ts in a child process;
// --profile writes the serve process's CPU profile and prints where the time went.
import { parseArgs } from "node:util";
import { startPostgres } from "@steward/testkit";
import { signInCookie, startPanel } from "@steward/web/e2e/harness";
import { driveMeasuringCpu } from "./drive.ts";
import { profiling } from "./profile.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    connections: { type: "string", default: "50" },
    db: { type: "string", default: "sqlite,postgres" },
    profile: { type: "string" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const EMAIL = "auth@example.com";
const PASSWORD = "correct horse battery staple";

interface Row {
  system: string;
  credential: "none" | "key" | "cookie";
  endpoint: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** CPU the serve process used per answer */
  serverCpuMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function once(db: string, pgServer: Awaited<ReturnType<typeof startPostgres>>) {
  const system = `steward-${db}`;
  const profile = profiling(values.profile, system);
  const databaseUrl = db === "postgres" ? await pgServer?.createDatabase() : undefined;
  const panel = await startPanel({
    env: {
      STEWARD_LOCAL_AGENT: "0",
      NODE_OPTIONS: profile.flags,
      ...(databaseUrl ? { STEWARD_DATABASE_URL: databaseUrl } : {}),
    },
  });
  const rows: Row[] = [];
  try {
    const key = await panel.setupSuper(EMAIL, PASSWORD);
    const port = new URL(panel.url).port;
    const cookie = await signInCookie(Number(port), panel.url, EMAIL, PASSWORD);
    const runs = [
      { credential: "none", path: "/healthz", headers: {} },
      { credential: "key", path: "/api/v1/me", headers: { authorization: `Bearer ${key}` } },
      { credential: "cookie", path: "/api/v1/me", headers: { cookie, origin: panel.url } },
    ] as const;
    const url = `http://127.0.0.1:${port}`;
    const rounds: Row[][] = runs.map(() => []);
    for (let round = 0; round < Number(values.rounds); round++)
      for (const [i, run] of runs.entries()) {
        const out = await driveMeasuringCpu({
          url,
          headers: run.headers,
          connections: Number(values.connections),
          durationSeconds: Number(values.duration),
          warmupSeconds: Number(values.warmup),
          timeoutSeconds: 10,
          endpoints: [{ name: run.path, method: "GET", path: run.path }],
        });
        const r = out.endpoints[0];
        if (!r) throw new Error("the load generator measured nothing");
        const seconds = Number(values.duration);
        rounds[i]?.push({
          system,
          credential: run.credential,
          endpoint: `GET ${run.path}`,
          reqPerSec: Math.round(r.requests / seconds),
          p50Ms: r.p50Ms,
          p99Ms: r.p99Ms,
          errors: r.errors + r.timeouts,
          serverCpuMs: Math.round((out.cpu * 1000 * 1000) / Math.max(1, r.requests)) / 1000,
        });
      }
    for (const [i, run] of runs.entries()) {
      const mine = rounds[i] ?? [];
      const row: Row = {
        system,
        credential: run.credential,
        endpoint: `GET ${run.path}`,
        reqPerSec: median(mine.map((x) => x.reqPerSec)),
        p50Ms: median(mine.map((x) => x.p50Ms)),
        p99Ms: median(mine.map((x) => x.p99Ms)),
        errors: mine.reduce((n, x) => n + x.errors, 0),
        serverCpuMs: median(mine.map((x) => x.serverCpuMs)),
      };
      say(
        `${system} ${row.endpoint} (${row.credential}): req/s ${mine.map((x) => x.reqPerSec).join(", ")}; CPU ms/answer ${mine.map((x) => x.serverCpuMs).join(", ")}`,
      );
      rows.push(row);
    }
  } finally {
    await panel.close();
    const summary = profile.summary(25);
    if (summary) say(summary);
  }
  return rows;
}

async function main() {
  const dbs = values.db.split(",");
  const pgServer = dbs.includes("postgres") ? await startPostgres() : null;
  if (dbs.includes("postgres") && !pgServer) throw new Error("PostgreSQL binaries are missing");
  const results: Row[] = [];
  try {
    for (const db of dbs) results.push(...(await once(db, pgServer)));
  } finally {
    await pgServer?.stop();
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ results })}\n`);
    return;
  }
  for (const db of dbs) {
    const mine = results.filter((r) => r.system === `steward-${db}`);
    const floor = mine.find((r) => r.credential === "none")?.reqPerSec ?? 0;
    for (const r of mine)
      process.stdout.write(
        `${r.system.padEnd(17)} ${`${r.endpoint} (${r.credential})`.padEnd(26)} ${String(r.reqPerSec).padStart(6)} req/s  p50 ${String(r.p50Ms).padStart(4)} ms  p99 ${String(r.p99Ms).padStart(4)} ms  errors ${r.errors}  CPU ${r.serverCpuMs.toFixed(3)} ms/answer  ${floor && r.credential !== "none" ? `floor/this ${(floor / Math.max(1, r.reqPerSec)).toFixed(2)}x` : ""}\n`,
      );
  }
}

main().catch((err) => {
  say(`failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
