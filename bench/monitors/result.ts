// One line of bench:monitors' output (the issue's format): null where a system cannot say.
import { percentile } from "../tasks/harness.ts";

export const SYSTEMS = ["steward-sqlite", "steward-postgres", "blackbox-exporter", "uptime-kuma"];

export interface Result {
  system: string;
  monitors: number;
  checksPerMinute: number | null;
  p99JitterMs: number | null;
  cpuPercent: number | null;
  rssMb: number | null;
  pageP99Ms: number | null;
  /** CPU ms per check (cpuPercent over checksPerMinute): what a loaded machine changes least */
  cpuMsPerCheck?: number | null;
  /** the machine's 1-minute load average when the measure ended */
  load?: number;
  /** what else the system showed (e.g. where a peer stopped keeping up) */
  note?: string;
}

export const p99 = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    99,
  );

export const round = (n: number | null, digits = 1) =>
  n === null || Number.isNaN(n) ? null : Number(n.toFixed(digits));

/** Waits `ms`, or less when `stop` says so earlier (checked every 200 ms). */
export async function waitUntil(deadline: number, stop: () => boolean = () => false) {
  while (Date.now() < deadline && !stop())
    await new Promise((r) => setTimeout(r, Math.min(200, Math.max(0, deadline - Date.now()))));
}

/** Adds CPU ms per check where a system reports both its CPU and its checks. */
export const withCpuPerCheck = (r: Result): Result => ({
  ...r,
  cpuMsPerCheck:
    r.cpuPercent === null || !r.checksPerMinute
      ? null
      : round(((r.cpuPercent / 100) * 60_000) / r.checksPerMinute, 2),
});
