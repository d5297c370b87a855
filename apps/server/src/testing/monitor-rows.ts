// A monitor's row as the roll-up tests and benchmark write it: a heartbeat monitor
// of the installation, made at `at`.
import type { NewMonitor } from "../modules/monitors/repo.ts";

export const heartbeatMonitorRow = (id: string, name: string, at: number): NewMonitor => ({
  id,
  account_id: null,
  name,
  kind: "heartbeat",
  settings: JSON.stringify({ kind: "heartbeat", graceSeconds: 60 }),
  interval_ms: 60_000,
  timeout_ms: 10_000,
  retries: 0,
  maintenance: "[]",
  state: "up",
  state_since: at,
  next_due: at,
  created_at: at,
  updated_at: at,
});
