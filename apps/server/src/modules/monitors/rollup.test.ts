// The roll-ups of monitor results on both dialects: the numbers of an hour and a day (counts,
// nearest-rank p50/p95, maximum), the boundaries of a period, the grace of a period just ended,
// idempotent re-runs and a run that stopped half-way, retention held back by the marks, and
// the task run by a real worker.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import { engineSuite } from "../../testing/engine.ts";
import { heartbeatMonitorRow } from "../../testing/monitor-rows.ts";
import { insertMonitor, insertResults, type ResultRow } from "./repo.ts";
import { DAY, HOUR, pruneHistory, rollUp, rollupTask } from "./rollup.ts";
import { listRollups, rollupMark, setRollupMark, upsertRollups } from "./rollup-repo.ts";

const base = Date.UTC(2026, 0, 10);
const H0 = base + DAY;
const MIN = 60_000;

describe.each(dialects())("monitor roll-ups on %s", (dialect) => {
  const suite = engineSuite(dialect);
  const k = () => suite.db.db;

  async function monitor(name: string) {
    const id = newId("mon");
    await insertMonitor(k(), heartbeatMonitorRow(id, name, base));
    return id;
  }
  const result = (id: string, at: number, outcome: ResultRow["outcome"], ms: number | null) => ({
    monitor_id: id,
    at,
    outcome,
    response_ms: ms,
    message: null,
  });
  const opts = (now: number, rawDays = 1) => ({ db: suite.db, rawDays, now });
  const hours = (id: string) =>
    listRollups(k(), { monitorId: id, grain: "hour", from: 0, to: base + 30 * DAY });

  let a = "";
  let b = "";

  it("rolls each finished hour up per monitor: counts, p50/p95/max, its boundaries", async () => {
    a = await monitor("a");
    b = await monitor("b");
    const rows: ResultRow[] = [];
    for (let i = 0; i < 20; i++)
      rows.push(result(a, H0 + i * MIN, i === 19 ? "degraded" : "up", (i + 1) * 10));
    rows.push(result(a, H0 + 30 * MIN + 1000, "down", null));
    rows.push(result(a, H0 + HOUR - 1, "down", null)); // the hour's last millisecond
    rows.push(result(a, H0 + HOUR, "up", 5)); // the next hour's first
    rows.push(result(a, base + 2 * DAY - 30 * MIN, "up", 7)); // an hour not finished yet
    rows.push(result(b, H0 + 10 * MIN, "up", 42));
    await insertResults(k(), rows);

    // a minute after midnight: the last hour ended within the grace, the day too
    const now = base + 2 * DAY + MIN;
    expect(await rollUp(opts(now), "hour")).toBe(23);
    expect(await rollUp(opts(now), "day")).toBe(0);
    expect(await hours(a)).toEqual([
      { monitorId: a, start: H0, checks: 22, up: 19, degraded: 1, p50: 100, p95: 190, max: 200 },
      { monitorId: a, start: H0 + HOUR, checks: 1, up: 1, degraded: 0, p50: 5, p95: 5, max: 5 },
    ]);
    expect(await hours(b)).toEqual([
      { monitorId: b, start: H0, checks: 1, up: 1, degraded: 0, p50: 42, p95: 42, max: 42 },
    ]);
    expect(await rollupMark(k(), "hour")).toBe(base + 2 * DAY - HOUR);
    expect(await rollupMark(k(), "day")).toBe(base + DAY);
  });

  it("re-running, or redoing a period a stopped run half wrote, counts nothing twice", async () => {
    const now = base + 2 * DAY + MIN;
    const before = await hours(a);
    expect(await rollUp(opts(now), "hour")).toBe(0);
    // a run that wrote a wrong page and stopped before moving the mark past the hour
    await upsertRollups(k(), "hour", [
      { monitorId: a, start: H0, checks: 999, up: 0, degraded: 0, p50: 1, p95: 1, max: 1 },
    ]);
    await setRollupMark(k(), "hour", H0);
    expect(await rollUp(opts(now), "hour")).toBe(23);
    expect(await hours(a)).toEqual(before);
  });

  it("rolls up the hour and the day once their grace has passed, from the raw results", async () => {
    const now = base + 2 * DAY + 3 * MIN;
    expect(await rollUp(opts(now), "hour")).toBe(1);
    expect(await rollUp(opts(now), "day")).toBe(1);
    expect((await hours(a)).at(-1)).toMatchObject({ start: base + 2 * DAY - HOUR, checks: 1 });
    const days = await listRollups(k(), {
      monitorId: a,
      grain: "day",
      from: 0,
      to: base + 9 * DAY,
    });
    // 22 measured times: 5, 7, 10…200; ranks 11 and 21
    expect(days).toEqual([
      { monitorId: a, start: H0, checks: 24, up: 21, degraded: 1, p50: 90, p95: 190, max: 200 },
    ]);
  });

  it("prunes raw results past retention once both grains rolled them up, and old roll-ups", async () => {
    const now = base + 2 * DAY + 3 * MIN;
    // one day kept: the three results of a's first three minutes go
    expect(await pruneHistory(opts(now))).toEqual({ results: 3, hours: 0, days: 0 });
    // much later, results newer than the marks stay however old
    await insertResults(k(), [result(a, base + 2 * DAY + MIN, "up", 3)]);
    const later = base + 100 * DAY;
    expect(await pruneHistory(opts(later))).toEqual({ results: 22, hours: 4, days: 0 });
    const left = await k().selectFrom("monitor_results").select("at").execute();
    expect(left.map((r) => Number(r.at))).toEqual([base + 2 * DAY + MIN]);
    const days = await listRollups(k(), { monitorId: a, grain: "day", from: 0, to: later });
    expect(days).toHaveLength(1);
    expect(await pruneHistory(opts(base + 800 * DAY))).toMatchObject({ days: 2 });
  });

  it("the monitor.rollup task rolls up and prunes", async () => {
    const engine = suite.start([
      rollupTask({
        db: suite.db,
        settings: { monitorResultRetentionDays: 1 },
        now: () => base + 2 * DAY + 2 * HOUR,
      }),
    ]);
    const { task } = await engine.enqueue({ kind: "monitor.rollup", payload: {} });
    const row = await suite.waitFor(task.id, "succeeded");
    expect(JSON.parse(row.result ?? "null")).toEqual({
      hours: 1,
      days: 0,
      pruned: { results: 0, hours: 0, days: 0 },
    });
    expect((await hours(a)).at(-1)).toMatchObject({ start: base + 2 * DAY, checks: 1 });
  });
});
