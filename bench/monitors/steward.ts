// Steward under bench:monitors: a database seeded with N HTTP monitors through the monitors
// service (the API's code path), then a real `steward serve` on it (the e2e kit's startPanel),
// measured from its own /metrics (checks started, start jitter, CPU, RSS) while a client reads
// the monitors page and the dashboard.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorCreate } from "@steward/contracts/monitors";
import { startPanel } from "@steward/web/e2e/harness";
import { credentialsOf, PASSWORD } from "../api/access.ts";
import { openSeeding } from "../lib/services.ts";
import { loadAverage } from "./proc.ts";
import { p99, type Result, round, waitUntil } from "./result.ts";
import type { Target } from "./target.ts";

export interface RunOptions {
  monitors: number;
  intervalSeconds: number;
  warmupSeconds: number;
  seconds: number;
  say: (m: string) => void;
}

const EMAIL = "bench-monitors@example.com";
const ALLOW = { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" };

async function seed(dir: string, databaseUrl: string | undefined, target: Target, o: RunOptions) {
  const seeding = await openSeeding(dir, databaseUrl, ALLOW);
  try {
    await seeding.svc.users.create(seeding.ctx, { email: EMAIL, password: PASSWORD, super: true });
    // the first through the service (the API's checks); the rest are copies of its row with
    // their own id, name, URL and a due time spread over the interval (as a panel up for a while)
    const first = await seeding.svc.monitors.create(
      seeding.ctx,
      monitorCreate.parse({
        name: "bench-0",
        settings: { kind: "http", url: target.url(0) },
        intervalSeconds: o.intervalSeconds,
        timeoutSeconds: Math.min(10, o.intervalSeconds - 1),
        retries: 1,
      }),
    );
    const k = seeding.db.db;
    const row = await k
      .selectFrom("monitors")
      .selectAll()
      .where("id", "=", first.id)
      .executeTakeFirstOrThrow();
    const now = Date.now();
    const interval = o.intervalSeconds * 1000;
    for (let from = 1; from < o.monitors; from += 500) {
      const rows = [];
      for (let i = from; i < Math.min(o.monitors, from + 500); i++) {
        const url = target.url(i);
        rows.push({
          ...row,
          id: `${row.id}-${i}`,
          name: `bench-${i}`,
          settings: JSON.stringify({ ...JSON.parse(row.settings), url }),
          next_due: now + Math.floor((i * interval) / o.monitors),
        });
      }
      await k.insertInto("monitors").values(rows).execute();
    }
  } finally {
    await seeding.close();
  }
}

/** The gauges of the panel's /metrics this bench reads. */
async function reading(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
  return {
    at: performance.now(),
    checks: gauge("steward_monitor_checks_total"),
    held: gauge("steward_monitors_held"),
    p99JitterMs: gauge("steward_monitor_start_jitter_p99_seconds") * 1000,
    cpuSeconds: gauge("steward_process_cpu_seconds_total"),
    rssMb: gauge("steward_process_resident_memory_bytes") / 1024 / 1024,
  };
}

/** Reads each page in turn until `done`: the latencies of each, in ms. */
const PAGES = ["/api/v1/monitors", "/api/v1/dashboard"];

async function readPages(url: string, headers: Record<string, string>, done: () => boolean) {
  const times = new Map<string, number[]>(PAGES.map((p) => [p, []]));
  while (!done())
    for (const page of PAGES) {
      const start = performance.now();
      const res = await fetch(`${url}${page}`, { headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${page}: ${res.status}`);
      times.get(page)?.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 125));
    }
  return times;
}

export async function runSteward(
  dialect: "sqlite" | "postgres",
  databaseUrl: string | undefined,
  target: Target,
  o: RunOptions,
): Promise<Result> {
  const system = `steward-${dialect}`;
  const dir = mkdtempSync(join(tmpdir(), `steward-bench-monitors-${dialect}-`));
  const t0 = performance.now();
  try {
    await seed(dir, databaseUrl, target, o);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  o.say(
    `${system}: ${o.monitors} monitors seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const panel = await startPanel({
    dataDir: dir, // removed by close()
    env: {
      STEWARD_LOCAL_AGENT: "0",
      ...ALLOW,
      ...(databaseUrl ? { STEWARD_DATABASE_URL: databaseUrl } : {}),
    },
  });
  try {
    const { key } = await credentialsOf(panel.url, EMAIL);
    const claimDeadline = Date.now() + 180_000;
    while ((await reading(panel.url)).held < o.monitors) {
      if (Date.now() > claimDeadline) throw new Error(`${system}: did not take every monitor`);
      await new Promise((r) => setTimeout(r, 500));
    }
    o.say(`${system}: every monitor held; warming up for ${o.warmupSeconds} s`);
    await waitUntil(Date.now() + o.warmupSeconds * 1000);
    o.say(`${system}: measuring for ${o.seconds} s`);
    const first = await reading(panel.url);
    const end = Date.now() + o.seconds * 1000;
    const pages = readPages(panel.url, key, () => Date.now() >= end);
    const samples = [first];
    while (Date.now() < end) {
      await waitUntil(Math.min(end, Date.now() + 10_000));
      samples.push(await reading(panel.url));
    }
    const times = await pages;
    const last = samples.at(-1) ?? first;
    const seconds = (last.at - first.at) / 1000;
    return {
      system,
      monitors: o.monitors,
      checksPerMinute: round(((last.checks - first.checks) / seconds) * 60, 0),
      // each reading is the p99 of the last 8,192 starts: the worst of them over the window
      p99JitterMs: round(Math.max(...samples.slice(1).map((s) => s.p99JitterMs))),
      cpuPercent: round(((last.cpuSeconds - first.cpuSeconds) / seconds) * 100),
      rssMb: round(Math.max(...samples.map((s) => s.rssMb))),
      pageP99Ms: round(p99([...times.values()].flat())),
      load: loadAverage(),
      note: [...times]
        .map(([page, t]) => `${page} p99 ${round(p99(t))} ms (${t.length})`)
        .join(", "),
    };
  } finally {
    await panel.close();
  }
}
