// `node tools/run.mjs node bench/load/auth.ts [-- --json] [--db sqlite,postgres] [--duration S]
// [--warmup S] [--connections N] [--profile DIR]`: what authentication costs. For each
// database a fresh `steward serve`, then, one after another, --connections clients for
// --duration seconds against `/healthz` without credentials (the floor), `/api/v1/me` with an
// API key and `/api/v1/me` with a session cookie (issue 11: `/me` within 2x `/healthz`).
// The load comes from bench/load/generate.ts in a child process; --profile writes the serve
// process's CPU profile per database and prints where the time went.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startPostgres } from "@steward/testkit";
import { signInCookie, startPanel } from "@steward/web/e2e/harness";
import type { EndpointResult, Plan } from "./generate.ts";
import { summarize } from "./profile.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
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
}

async function drive(plan: Plan): Promise<EndpointResult> {
  const generator = new URL("./generate.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, [generator, JSON.stringify(plan)]);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const code = await new Promise((r) => child.once("close", r));
  if (code !== 0) throw new Error(`the load generator failed (${code}):\n${stderr}`);
  const out = JSON.parse(stdout) as { endpoints: EndpointResult[] };
  const first = out.endpoints[0];
  if (!first) throw new Error("the load generator measured nothing");
  return first;
}

async function once(db: string, pgServer: Awaited<ReturnType<typeof startPostgres>>) {
  const system = `steward-${db}`;
  const profileDir = values.profile ? resolve(values.profile, system) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const databaseUrl = db === "postgres" ? await pgServer?.createDatabase() : undefined;
  const panel = await startPanel({
    env: {
      STEWARD_LOCAL_AGENT: "0",
      NODE_OPTIONS: profileDir ? `--cpu-prof --cpu-prof-dir=${profileDir}` : "",
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
    for (const run of runs) {
      const r = await drive({
        url: `http://127.0.0.1:${port}`,
        headers: run.headers,
        connections: Number(values.connections),
        durationSeconds: Number(values.duration),
        warmupSeconds: Number(values.warmup),
        timeoutSeconds: 10,
        endpoints: [{ name: run.path, method: "GET", path: run.path }],
      });
      const row: Row = {
        system,
        credential: run.credential,
        endpoint: `GET ${run.path}`,
        reqPerSec: Math.round(r.requests / Number(values.duration)),
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        errors: r.errors + r.timeouts,
      };
      say(
        `${system} ${row.endpoint} (${row.credential}): ${row.reqPerSec} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.errors} errors`,
      );
      rows.push(row);
    }
  } finally {
    await panel.close();
    if (profileDir) {
      const newest = readdirSync(profileDir)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => join(profileDir, f))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
      if (newest) say(`${system}: profile ${newest}\n${summarize(newest, 25)}`);
    }
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
        `${r.system.padEnd(17)} ${`${r.endpoint} (${r.credential})`.padEnd(26)} ${String(r.reqPerSec).padStart(6)} req/s  p50 ${String(r.p50Ms).padStart(4)} ms  p99 ${String(r.p99Ms).padStart(4)} ms  errors ${r.errors}  ${floor && r.credential !== "none" ? `floor/this ${(floor / Math.max(1, r.reqPerSec)).toFixed(2)}x` : ""}\n`,
      );
  }
}

main().catch((err) => {
  say(`failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
