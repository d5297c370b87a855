// Monitoring for the screenshots: 30 checks of each monitor (a slow spell, a few down) so the
// sparklines show, and one sent delivery to a channel, written into the panel's SQLite database
// the way the scheduler and the dispatcher write them.
import { DatabaseSync } from "node:sqlite";

export function seedMonitoring(
  file: string,
  { monitorIds, channelId }: { monitorIds: string[]; channelId: string },
) {
  const db = new DatabaseSync(file);
  const insert = db.prepare(
    "insert into monitor_results (monitor_id, at, outcome, response_ms, message) values (?, ?, ?, ?, ?)",
  );
  const now = Date.now();
  // shown as checked (up, down) and held by no scheduler (their targets do not exist); the
  // last one stays paused
  const state = db.prepare(`update monitors set paused = 0, state = ?, last_check_at = ?,
    last_response_ms = ?, lease_owner = 'screenshots', lease_until = ? where id = ?`);
  monitorIds.slice(0, 2).forEach((id, m) => {
    state.run(m === 1 ? "down" : "up", now - 60_000, m === 1 ? null : 95, 9e15, id);
  });
  monitorIds.forEach((id, m) => {
    for (let n = 0; n < 30; n++) {
      const down = m === 1 && n > 24;
      const ms = down ? null : 80 + ((n * 37 + m * 11) % 60) + (n > 10 && n < 15 ? 200 : 0);
      insert.run(
        id,
        now - (30 - n) * 60_000,
        down ? "down" : "up",
        ms,
        down ? "answered 503" : null,
      );
    }
  });
  db.prepare(`insert into notification_deliveries (id, rule_id, channel_id, account_id, event_id,
    event_type, group_key, repeat_key, flapping, event_count, due_at, state, attempts, status,
    request, response, error, sent_at, created_at, updated_at)
    values ('ndl_0000000000000000000000001', null, ?, null, 'evt_00000000000000000000000001',
    'monitor.down', 'monitor:m', 'monitor.down:m', null, 1, ?, 'sent', 1, 200, ?, 'ok', null, ?, ?, ?)`).run(
    channelId,
    now,
    JSON.stringify({
      method: "POST",
      url: "https://ntfy.sh/steward-oncall",
      headers: { Title: "monitor shop is down", Authorization: "[redacted]" },
      body: "monitor shop is down: answered 503",
    }),
    now,
    now,
    now,
  );
  db.close();
}
