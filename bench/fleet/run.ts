// `npm run bench:fleet [-- --json] [--sites N] [--latency MS] [--hosts H] [--per-host K]`: a full
// refresh of N CMS sites (default 1,000) of one account, served by a local fake answering like
// the Steward connector after MS ms (default 300), spread over H hosts (default 50 loopback
// addresses: sites share hosts, as on shared hosting), at most K requests at a time per host
// (default 4, the setting cmsHostConcurrency). Steward in this process (the test harness: the
// real engine and the real refresh path, `POST /api/v1/cms-sites/refresh`); the sites in a
// child process, so that the panel's CPU is measured alone. Reports the total time, the panel's
// CPU (user + system over wall time, one core = 100 %), and what the sites saw. Peer figure:
// MainWP's 50 s per 100 sites. Progress on stderr; stdout the table, or with --json only
// {"results":[...]}.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { seedCmsSites } from "@steward/server/testing/cms-fleet";
import { buildWorld } from "@steward/server/testing/fixtures";
import { startTestServer } from "@steward/server/testing/harness";
import { settleTask } from "@steward/server/testing/real-node";
import { loadAverage } from "../monitors/proc.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    sites: { type: "string", default: "1000" },
    latency: { type: "string", default: "300" },
    hosts: { type: "string", default: "50" },
    "per-host": { type: "string", default: "4" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const SITES = Number(values.sites);
const LATENCY = Number(values.latency);
const HOSTS = Number(values.hosts);
const PER_HOST = Number(values["per-host"]);

interface Result {
  system: string;
  sites: number;
  latencyMs: number;
  hosts: number;
  perHost: number;
  totalSeconds: number;
  cpuPercent: number;
  refreshed: number;
  /** the most requests one host had in flight at once (at most perHost) */
  maxPerHost: number;
  load: number;
}

async function main() {
  const fake = spawn(
    process.execPath,
    [new URL("./connector-fake.ts", import.meta.url).pathname, String(HOSTS), String(LATENCY)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: fake.stdout })[Symbol.asyncIterator]();
  const { urls } = JSON.parse((await lines.next()).value as string) as { urls: string[] };
  const s = await startTestServer("sqlite", {
    STEWARD_OUTBOUND_ALLOW: "127.0.0.0/8",
    STEWARD_CMS_HOST_CONCURRENCY: String(PER_HOST),
  });
  try {
    const w = await buildWorld(s);
    const sites = Array.from({ length: SITES }, (_, i) => ({
      url: urls[i % urls.length] as string,
      username: "admin",
      password: "abcdefghijklmnopqrstuvwx",
    }));
    await seedCmsSites(s, w.a, sites);
    s.svc.engine.startWorker();
    say(`steward: ${SITES} sites on ${HOSTS} hosts, ${LATENCY} ms answers, ${PER_HOST} per host`);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const started = await s.request("POST", "/api/v1/cms-sites/refresh", {
      key: w.keys.operator,
      body: { account: w.a },
    });
    if (started.status !== 202) throw new Error(`refresh: ${JSON.stringify(started.body)}`);
    const task = await settleTask(s, started.body.taskId, 30 * 60_000);
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (task.state !== "succeeded")
      throw new Error(`the refresh ${task.state}: ${task.last_error}`);
    const listed = await s.request("GET", `/api/v1/cms-sites?account=${w.a}`, {
      key: w.keys.reader,
    });
    const refreshed = (
      listed.body.items as { refreshedAt: string | null; updatesAvailable: number }[]
    ).filter((i) => i.refreshedAt !== null && i.updatesAvailable === 5).length;
    fake.kill("SIGTERM");
    const seen = JSON.parse((await lines.next()).value as string) as {
      maxPerHost: number;
      refused: number;
    };
    if (seen.refused) throw new Error(`the sites refused ${seen.refused} request(s)`);
    return {
      system: "steward",
      sites: SITES,
      latencyMs: LATENCY,
      hosts: HOSTS,
      perHost: PER_HOST,
      totalSeconds: Number(wall.toFixed(2)),
      cpuPercent: Number((((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(1)),
      refreshed,
      maxPerHost: seen.maxPerHost,
      load: loadAverage(),
    } satisfies Result;
  } finally {
    fake.kill("SIGTERM");
    await s.close();
  }
}

main().then(
  (r) => {
    if (values.json) process.stdout.write(`${JSON.stringify({ results: [r] })}\n`);
    else process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(r.refreshed === r.sites && r.maxPerHost <= r.perHost ? 0 : 1);
  },
  (err) => {
    say(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
