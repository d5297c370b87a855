// `npm run bench:load [-- --json] [--duration S] [--warmup S] [--connections N] [--db sqlite,postgres]
// [--auth key,cookie] [--only tasks,create-task,...] [--profile DIR] [--node-flags F]`: a real `steward serve` under many concurrent clients.
// For each database and way of signing in: a fresh panel (STEWARD_LOCAL_AGENT=0), a super
// user, then --connections clients for --duration seconds against list and create endpoints,
// driven by autocannon in a child process (bench/load/generate.ts). Progress goes to stderr;
// stdout carries the table, or with --json only {"results":[...]}.
import { parseArgs } from "node:util";
import { startPostgres } from "@steward/testkit";
import { signInCookie, startPanel } from "@steward/web/e2e/harness";
import { driveMeasuringCpu } from "./drive.ts";
import type { Endpoint, EndpointResult, Plan } from "./generate.ts";
import { loadOptions } from "./options.ts";
import { profiling } from "./profile.ts";
import { table } from "./table.ts";

const { values } = parseArgs({
  options: {
    ...loadOptions({ duration: "30", warmup: "5", connections: "200", db: "sqlite" }),
    profile: { type: "string" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const EMAIL = "load@example.com";
const PASSWORD = "correct horse battery staple";

export interface Result extends EndpointResult {
  system: string;
  /** CPU the serve process used during the run, per answered request (all endpoints) */
  serverCpuMsPerRequest: number;
}

const endpoints: Endpoint[] = [
  { name: "tasks", method: "GET", path: "/api/v1/tasks" },
  { name: "sites", method: "GET", path: "/api/v1/sites" },
  { name: "audit", method: "GET", path: "/api/v1/audit-events" },
  { name: "nodes", method: "GET", path: "/api/v1/nodes" },
  { name: "users", method: "GET", path: "/api/v1/users" },
  { name: "dashboard", method: "GET", path: "/api/v1/dashboard" },
  {
    name: "create-task",
    method: "POST",
    path: "/api/v1/tasks",
    body: JSON.stringify({ kind: "noop", payload: { message: "load {n}" } }),
  },
  {
    name: "create-account",
    method: "POST",
    path: "/api/v1/accounts",
    body: JSON.stringify({ slug: "load-{n}", name: "Load {n}" }),
  },
];

async function once(db: string, auth: string, pgServer: Awaited<ReturnType<typeof startPostgres>>) {
  const system = `${db}/${auth}`;
  const profile = profiling(values.profile, system.replace("/", "-"));
  const databaseUrl = db === "postgres" ? await pgServer?.createDatabase() : undefined;
  const panel = await startPanel({
    env: {
      STEWARD_LOCAL_AGENT: "0",
      // the default is tools/node24.mjs serveNodeFlags, what `npm start` runs serve with
      NODE_OPTIONS: `${values["node-flags"]} ${profile.flags}`.trim(),
      ...(databaseUrl ? { STEWARD_DATABASE_URL: databaseUrl } : {}),
    },
  });
  try {
    const key = await panel.setupSuper(EMAIL, PASSWORD);
    const port = new URL(panel.url).port;
    const headers: Record<string, string> =
      auth === "key"
        ? { authorization: `Bearer ${key}` }
        : {
            cookie: await signInCookie(Number(port), panel.url, EMAIL, PASSWORD),
            origin: panel.url,
          };
    const plan: Plan = {
      url: `http://127.0.0.1:${port}`,
      headers,
      connections: Number(values.connections),
      durationSeconds: Number(values.duration),
      warmupSeconds: Number(values.warmup),
      timeoutSeconds: Number(values.timeout),
      endpoints: endpoints.filter((e) => !values.only || values.only.split(",").includes(e.name)),
    };
    say(
      `${system}: ${plan.connections} clients, ${plan.warmupSeconds} s not measured, then ${plan.durationSeconds} s`,
    );
    const { endpoints: endpointsOut, cpu } = await driveMeasuringCpu(plan);
    const answered = endpointsOut.reduce((n, e) => n + e.requests, 0);
    const serverCpuMsPerRequest = Math.round((cpu * 1000 * 100) / Math.max(1, answered)) / 100;
    say(`${system}: serve used ${cpu.toFixed(1)} CPU s, ${serverCpuMsPerRequest} ms per request`);
    return endpointsOut.map((e) => ({ system, ...e, serverCpuMsPerRequest }));
  } finally {
    await panel.close(); // SIGTERM: a graceful exit writes the CPU profile
    const summary = profile.summary(15);
    if (summary) say(summary);
  }
}

async function main(): Promise<number> {
  const dbs = values.db.split(",");
  const pgServer = dbs.includes("postgres") ? await startPostgres() : null;
  if (dbs.includes("postgres") && !pgServer) throw new Error("PostgreSQL binaries are missing");
  const results: Result[] = [];
  let failed = 0;
  try {
    for (const db of dbs)
      for (const auth of values.auth.split(",")) {
        try {
          results.push(...(await once(db, auth, pgServer)));
        } catch (err) {
          failed++;
          say(`${db}/${auth} failed: ${(err as Error).stack ?? err}`);
        }
      }
  } finally {
    await pgServer?.stop();
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else process.stdout.write(table(results, Number(values.connections), Number(values.duration)));
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(`failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
