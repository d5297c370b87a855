// One hourly roll-up of 10,000 monitors × 60 results each (issue 12's budget: it must stay
// cheap), on a temp SQLite file and on a fresh PostgreSQL database: the time of rollUp() for
// the hour and for the day holding it. `npm run bench:rollup [-- --monitors N --results N]`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  DAY,
  type Db,
  HOUR,
  heartbeatMonitorRow,
  insertMonitor,
  insertResults,
  migrateToLatest,
  openPostgres,
  openSqlite,
  rollUp,
  setRollupMark,
} from "@steward/server";
import { createDatabase, startPostgres } from "@steward/testkit";

const { values } = parseArgs({
  options: {
    monitors: { type: "string", default: "10000" },
    results: { type: "string", default: "60" },
  },
});
const monitors = Number(values.monitors);
const perMonitor = Number(values.results);
const hour = Date.UTC(2026, 0, 10, 12);

async function fill(db: Db) {
  await migrateToLatest(db);
  const ids = Array.from({ length: monitors }, (_, i) => `mon_${String(i).padStart(6, "0")}`);
  for (const id of ids) await insertMonitor(db.db, heartbeatMonitorRow(id, id, hour));
  const step = HOUR / perMonitor;
  for (let i = 0; i < ids.length; i += 50) {
    const rows = ids.slice(i, i + 50).flatMap((id, m) =>
      Array.from({ length: perMonitor }, (_, r) => ({
        monitor_id: id,
        at: hour + r * step,
        outcome: (r + m) % 17 === 0 ? ("down" as const) : ("up" as const),
        response_ms: (r * 37 + m * 11) % 900,
        message: null,
      })),
    );
    await insertResults(db.db, rows);
  }
}

async function measure(name: string, db: Db) {
  process.stderr.write(`${name}: filling ${monitors} monitors × ${perMonitor} results\n`);
  await fill(db);
  const now = hour + DAY;
  const opts = { db, rawDays: 7, now };
  await setRollupMark(db.db, "hour", hour);
  await setRollupMark(db.db, "day", Date.UTC(2026, 0, 10));
  let t = performance.now();
  await rollUp({ ...opts, now: hour + HOUR + 3 * 60_000 }, "hour");
  const hourMs = performance.now() - t;
  // again: the same hour redone (an upsert of every row)
  await setRollupMark(db.db, "hour", hour);
  t = performance.now();
  await rollUp({ ...opts, now: hour + HOUR + 3 * 60_000 }, "hour");
  const redoMs = performance.now() - t;
  t = performance.now();
  await rollUp(opts, "day");
  const dayMs = performance.now() - t;
  await db.close();
  return {
    system: name,
    hourMs: Math.round(hourMs),
    redoMs: Math.round(redoMs),
    dayMs: Math.round(dayMs),
  };
}

const dir = mkdtempSync(join(tmpdir(), "steward-rollup-"));
const pg = await startPostgres();
try {
  const out = [await measure("sqlite", openSqlite(join(dir, "bench.db")))];
  if (pg) out.push(await measure("postgres", openPostgres(await createDatabase(pg.url), 10)));
  console.log(JSON.stringify({ monitors, resultsPerMonitor: perMonitor, results: out }, null, 2));
} finally {
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
}
