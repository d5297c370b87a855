// Uptime Kuma (npm `uptime-kuma` 2.0.0-dev.0), a peer for this bench only: never a dependency
// of the repository (its sqlite addon compiles at install, node-gyp). The first run installs it
// into .cache/peers/uptime-kuma (gitignored; ~3 minutes, needs g++, make and python3). For
// each size: a fresh data directory, a first start that creates its database, the monitors
// written straight into its `monitor` table, a second start (Kuma starts its active monitors
// one by one, 0.3-1 s apart; kuma-start.cjs spaces them interval / n apart instead, the spread
// its own start reaches after n * 0.65 s), then its heartbeats counted over the window once
// every monitor has beaten. Jitter: how much later than one interval after its previous beat each beat came.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { freePort } from "@steward/testkit";
import { type DashboardLoad, KUMA_USER, kumaPasswordHash, loadDashboard } from "./kuma-page.ts";
import { cpuSecondsOf, loadAverage, rssMbOf } from "./proc.ts";
import { p99, type Result, round, waitUntil } from "./result.ts";
import type { RunOptions } from "./steward.ts";
import type { Target } from "./target.ts";

const VERSION = "2.0.0-dev.0";
const HOME = resolve(import.meta.dirname, "../../.cache/peers/uptime-kuma");
const APP = join(HOME, "node_modules/uptime-kuma");
/** Spaces Kuma's start of its monitors over one interval (see the file) */
const START = join(import.meta.dirname, "kuma-start.cjs");

/** Installs Kuma on first use, and the old patch files its first start looks for. */
function ensureKuma(say: (m: string) => void) {
  if (!existsSync(join(APP, "server/server.js"))) {
    say(`uptime-kuma: installing ${VERSION} into ${HOME} (once; compiles its sqlite addon)`);
    mkdirSync(HOME, { recursive: true });
    if (!existsSync(join(HOME, "package.json")))
      writeFileSync(join(HOME, "package.json"), '{"name":"kuma-peer","private":true}\n');
    execFileSync("npm", ["install", "--no-audit", "--no-fund", `uptime-kuma@${VERSION}`], {
      cwd: HOME,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const old = join(APP, "db/old_migrations");
  for (const file of readdirSync(join(APP, "db")))
    if (file.startsWith("patch-") && !existsSync(join(old, file)))
      copyFileSync(join(APP, "db", file), join(old, file));
}

interface Running {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function startKuma(dataDir: string, spacingMs = -1): Promise<Running> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      "--require",
      START,
      "server/server.js",
      "--host=127.0.0.1",
      `--port=${port}`,
      `--data-dir=${dataDir}`,
    ],
    {
      cwd: APP,
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        KUMA_BENCH_START_SPACING_MS: String(spacingMs),
      },
    },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (up) return { child, url: `http://127.0.0.1:${port}`, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`uptime-kuma did not start:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function writeMonitors(dataDir: string, target: Target, n: number, intervalSeconds: number) {
  const db = new DatabaseSync(join(dataDir, "kuma.db"));
  try {
    db.prepare("INSERT INTO user (username, password, active) VALUES (?, ?, 1)").run(
      KUMA_USER,
      kumaPasswordHash(APP),
    );
    const insert = db.prepare(
      `INSERT INTO monitor (name, active, user_id, interval, retry_interval, url, type, maxretries,
         timeout, accepted_statuscodes_json) VALUES (?, 1, 1, ?, ?, ?, 'http', 1, ?, '["200-299"]')`,
    );
    db.exec("BEGIN");
    for (let i = 0; i < n; i++)
      insert.run(
        `bench-${i}`,
        intervalSeconds,
        intervalSeconds,
        target.url(i),
        Math.min(10, intervalSeconds - 1),
      );
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

/** Kuma's heartbeat times are UTC `YYYY-MM-DD HH:mm:ss.SSS` */
const kumaTime = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 23);

async function measureSize(target: Target, o: RunOptions, n: number): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), "steward-bench-kuma-"));
  writeFileSync(join(dataDir, "db-config.json"), '{"type":"sqlite"}\n');
  let kuma: Running | null = null;
  try {
    await (await startKuma(dataDir)).stop(); // creates and migrates its database
    writeMonitors(dataDir, target, n, o.intervalSeconds);
    kuma = await startKuma(dataDir, (o.intervalSeconds * 1000) / n);
    const db = new DatabaseSync(join(dataDir, "kuma.db"), { readOnly: true });
    try {
      const beating = () =>
        Number(
          (
            db.prepare("SELECT count(DISTINCT monitor_id) AS n FROM heartbeat").get() as {
              n: number;
            }
          ).n,
        );
      // its monitors start interval / n apart: wait for all of them (or say how many beat)
      const started = Date.now() + 3 * o.intervalSeconds * 1000;
      await waitUntil(started, () => beating() >= n);
      const beat = beating();
      o.say(`uptime-kuma ${n}: ${beat} monitors beating; measuring for ${o.seconds} s`);
      const pid = kuma.child.pid as number;
      const cpu0 = cpuSecondsOf(pid);
      const from = Date.now();
      let rss = rssMbOf(pid);
      const end = from + o.seconds * 1000;
      const sampler = setInterval(() => {
        rss = Math.max(rss, rssMbOf(pid));
      }, 5_000);
      const pages = await timeDashboard(kuma.url, n, end, o.say);
      clearInterval(sampler);
      await waitUntil(end);
      rss = Math.max(rss, rssMbOf(pid));
      const seconds = (Date.now() - from) / 1000;
      const cpu = cpuSecondsOf(pid) - cpu0;
      const rows = db
        .prepare(
          "SELECT monitor_id AS id, time FROM heartbeat WHERE time >= ? AND time < ? ORDER BY monitor_id, time",
        )
        .all(kumaTime(from - o.intervalSeconds * 1000), kumaTime(end)) as {
        id: number;
        time: string;
      }[];
      const at = (t: string) => Date.parse(`${t.replace(" ", "T")}Z`);
      const inWindow = rows.filter((r) => at(r.time) >= from).length;
      const late: number[] = [];
      for (let i = 1; i < rows.length; i++) {
        const [prev, row] = [rows[i - 1], rows[i]];
        if (prev?.id === row?.id && row && prev && at(row.time) >= from)
          late.push(Math.max(0, at(row.time) - at(prev.time) - o.intervalSeconds * 1000));
      }
      const perMinute = (inWindow / seconds) * 60;
      const expected = (n * 60) / o.intervalSeconds;
      return {
        system: "uptime-kuma",
        monitors: n,
        checksPerMinute: round(perMinute, 0),
        p99JitterMs: late.length ? round(p99(late)) : null,
        cpuPercent: round((cpu / seconds) * 100),
        rssMb: round(rss),
        pageP99Ms: pages.list.length ? round(p99(pages.list)) : null,
        load: loadAverage(),
        note: `${beat} of ${n} monitors beating after start; ${Math.round((100 * perMinute) / expected)}% of the checks due; ${pages.note}`,
      };
    } finally {
      db.close();
    }
  } finally {
    await kuma?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A page load every 10 s (a user reloading the dashboard; a load that takes longer delays the
 * next) while the window lasts (the last may end after it): the
 * dashboard's list times (`pageP99Ms`, as Steward's list and dashboard) and, in the note, the
 * time until every monitor's bars arrived.
 */
async function timeDashboard(url: string, n: number, end: number, say: (m: string) => void) {
  const list: number[] = [];
  const full: number[] = [];
  let token: string | null = null;
  let failed = "";
  while (Date.now() < end) {
    const next = Date.now() + 10_000;
    try {
      const load: DashboardLoad & { token: string } = await loadDashboard(
        APP,
        url,
        n,
        token,
        Math.max(60_000, end - Date.now() + 60_000),
      );
      token = load.token;
      list.push(load.listMs);
      full.push(load.fullMs);
    } catch (e) {
      failed = (e as Error).message;
      say(`uptime-kuma ${n}: ${failed}`);
      break;
    }
    await waitUntil(Math.min(end, next));
  }
  const fmt = (v: number[]) => (v.length ? `${Math.round(p99(v))} ms` : "none");
  const note = `dashboard ${list.length} loads: list p99 ${fmt(list)}, every monitor's bars p99 ${fmt(full)}${failed ? ` (then: ${failed})` : ""}`;
  return { list, note };
}

/**
 * Kuma keeps up with a size while it makes at least 95% of the checks due (it waits an interval
 * after each check ends, so a check of 1.5 s at 60 s comes at 97.5%) and its p99 beat comes
 * less than one interval late.
 */
export const keptUp = (r: Result, intervalSeconds: number) =>
  (r.checksPerMinute ?? 0) >= (0.95 * r.monitors * 60) / intervalSeconds &&
  r.p99JitterMs !== null &&
  r.p99JitterMs <= intervalSeconds * 1000;

/**
 * Each size in turn, up the steps, until one where Kuma no longer keeps up: its limit lies
 * between the last size it kept up with and that one (said in that row's note).
 */
export async function runKuma(target: Target, o: RunOptions, sizes: number[]): Promise<Result[]> {
  ensureKuma(o.say);
  const results: Result[] = [];
  let held = 0;
  for (const n of sizes) {
    const result = await measureSize(target, o, n);
    results.push(result);
    // on stderr as it comes: a size takes up to n seconds to start, a run with several an hour
    o.say(`uptime-kuma ${n}: ${JSON.stringify(result)}`);
    if (keptUp(result, o.intervalSeconds)) {
      held = n;
      continue;
    }
    result.note = `${result.note}; limit: kept up with ${held || "none of the sizes"}, not with ${n}`;
    o.say(`uptime-kuma stopped keeping up at ${n} monitors (kept up with ${held})`);
    return results;
  }
  const last = results.at(-1);
  if (last) last.note = `${last.note}; limit: kept up with every size up to ${held}, not found`;
  return results;
}
