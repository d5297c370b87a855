// A monitor as its scheduler holds it in memory: its settings, what the state machine reads,
// and when its next check is due.
import { type MonitorSettings, monitorTarget, quorumOf } from "@steward/contracts/monitors";
import type { ProbeDeps } from "@steward/probes";
import { locationsOf } from "./locations.ts";
import { type MonitorRow, settingsOf } from "./repo.ts";
import type { MonitorFacts, MonitorStatus } from "./state.ts";

export interface Held {
  id: string;
  settings: MonitorSettings;
  facts: MonitorFacts;
  status: MonitorStatus;
  intervalMs: number;
  timeoutMs: number;
  paused: boolean;
  due: number;
  /** the time of the last check its status holds */
  checkedAt: number;
  updatedAt: number;
  probe: ProbeDeps;
  /** where it is checked from ("panel", node ids) and how many must see it down */
  locations: string[];
  quorum: number;
  /** each location's failed checks in a row (several locations only; kept in memory) */
  failures: ReadonlyMap<string, number>;
}

/** Shared by every monitor checked from the panel alone (no map each: 10,000 monitors). */
const NO_FAILURES: ReadonlyMap<string, number> = new Map();

export const statusOf = (row: MonitorRow): MonitorStatus => ({
  state: row.state,
  stateSince: Number(row.state_since),
  consecutiveFailures: Number(row.consecutive_failures),
  flapping: Number(row.flapping) === 1,
  transitions: JSON.parse(row.transitions),
});

/** What the state machine reads of a monitor's row. */
export const factsOf = (row: MonitorRow, url: string | null): MonitorFacts => ({
  id: row.id,
  accountId: row.account_id,
  name: row.name,
  target: monitorTarget(settingsOf(row)),
  retries: Number(row.retries),
  maintenance: JSON.parse(row.maintenance),
  url,
});

export function heldOf(row: MonitorRow, probe: ProbeDeps, url: string | null, before?: Held): Held {
  const rowCheckedAt = row.last_check_at === null ? 0 : Number(row.last_check_at);
  // what this panel knows is newer than the row (its writes are batched), unless a check now
  // wrote a later check since
  const mine = before !== undefined && before.checkedAt >= rowCheckedAt;
  const locations = locationsOf(row);
  return {
    id: row.id,
    settings: settingsOf(row),
    facts: factsOf(row, url),
    status: mine ? before.status : statusOf(row),
    checkedAt: mine ? before.checkedAt : rowCheckedAt,
    intervalMs: Number(row.interval_ms),
    timeoutMs: Number(row.timeout_ms),
    paused: Number(row.paused) === 1,
    due: Number(row.next_due),
    updatedAt: Number(row.updated_at),
    probe,
    locations,
    quorum: quorumOf(locations, row.quorum === null ? null : Number(row.quorum)),
    failures: before?.failures ?? NO_FAILURES,
  };
}

/** The last `size` start delays (ms), for the p99. */
export class JitterLog {
  private readonly samples: Float64Array;
  private count = 0;
  constructor(size = 8192) {
    this.samples = new Float64Array(size);
  }
  add(ms: number) {
    this.samples[this.count % this.samples.length] = ms;
    this.count++;
  }
  percentile(p: number): number | null {
    const n = Math.min(this.count, this.samples.length);
    if (!n) return null;
    const sorted = this.samples.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.floor((p / 100) * n))] ?? null;
  }
}
