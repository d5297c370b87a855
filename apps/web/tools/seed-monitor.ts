// A monitor's history for the screenshots: a check every 5 minutes over the last day (a down
// spell six hours ago, slower answers around it) and 89 days rolled up before today, written
// into the panel's SQLite database the way the scheduler and the monitor.rollup task write them.
import { DatabaseSync } from "node:sqlite";

const MIN = 60_000;
const DAY = 86_400_000;

export function seedMonitorHistory(file: string, monitorId: string, now = Date.now()) {
  const db = new DatabaseSync(file);
  try {
    // the panel writes too: wait for its lock, and write everything in one transaction
    db.exec("PRAGMA busy_timeout = 10000");
    db.exec("BEGIN IMMEDIATE");
    const result = db.prepare(
      "insert into monitor_results (monitor_id, at, outcome, response_ms, message) values (?, ?, ?, ?, ?)",
    );
    for (let ago = 24 * 60; ago > 0; ago -= 5) {
      const down = ago > 320 && ago <= 360;
      const slow = ago > 300 && ago <= 420;
      const ms = Math.round(90 + 40 * Math.sin(ago / 50) + (slow ? 250 : 0) + (ago % 35));
      result.run(
        monitorId,
        now - ago * MIN,
        down ? "down" : "up",
        down ? null : ms,
        down ? "connect ECONNREFUSED 203.0.113.7:443" : null,
      );
    }
    const today = Math.floor(now / DAY) * DAY;
    const rollup = db.prepare(`insert into monitor_rollups (monitor_id, grain, start, checks,
      up_checks, degraded_checks, p50_ms, p95_ms, max_ms) values (?, 'day', ?, ?, ?, 0, ?, ?, ?)`);
    for (let day = 89; day >= 1; day--) {
      const failed = day % 23 === 0 ? 30 : day % 11 === 0 ? 2 : 0;
      rollup.run(monitorId, today - day * DAY, 288, 288 - failed, 95 + (day % 7), 180, 400);
    }
    db.prepare(
      "insert into monitor_rollup_marks (grain, rolled_until) values ('day', ?) on conflict (grain) do update set rolled_until = excluded.rolled_until",
    ).run(today);
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}
