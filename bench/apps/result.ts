// bench:apps' rows: a deploy system's p50/p99 from the request until healthy (the issue's
// {"system","deploys","p50Ms","p99Ms"}), an endpoint's under 10 clients with N containers on
// the node, and the agent's (and the panel's) memory and CPU over that window.
import { percentile } from "../tasks/harness.ts";

export interface DeployRow {
  system: "steward" | "steward-agent" | "floor";
  deploys: number;
  p50Ms: number;
  p99Ms: number;
}

export interface EndpointRow {
  system: "steward";
  endpoint: string;
  containers: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ProcessRow {
  system: "steward";
  metric: "agent" | "panel";
  containers: number;
  /**
   * peak resident memory over the window: the agent's VmHWM (reset when it began), the
   * panel's highest /metrics reading (every 2 s)
   */
  rssMb: number;
  /** CPU time over the window's wall time, in % of one CPU */
  cpuPercent: number;
  /** the machine's 1-minute load average when the window ended */
  load: number;
}

export type Result = DeployRow | EndpointRow | ProcessRow;

export const round = (n: number) => Math.round(n * 10) / 10;

/** p50 and p99 of `times` (ms), rounded to a tenth. */
export function spread(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
}

export const deployRow = (system: DeployRow["system"], times: number[]): DeployRow => ({
  system,
  deploys: times.length,
  ...spread(times),
});
