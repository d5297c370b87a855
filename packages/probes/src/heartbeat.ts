// Heartbeat (push): a cron job or a backup reports in (POST or GET /api/v1/heartbeat/<token>);
// the monitor is down when no report came within its interval and grace.
import type { MonitorOf } from "@steward/contracts/monitors";
import type { ProbeInput, ProbeResult } from "./types.ts";

export function probeHeartbeat(
  s: MonitorOf<"heartbeat">,
  input: ProbeInput,
  now: number,
): ProbeResult {
  const allowed = input.intervalMs + s.graceSeconds * 1000;
  if (input.lastPingAt !== null && now - input.lastPingAt <= allowed)
    return {
      outcome: "up",
      responseMs: null,
      message: `reported in ${new Date(input.lastPingAt).toISOString()}`,
    };
  const last =
    input.lastPingAt === null
      ? "never reported in"
      : `last reported in ${new Date(input.lastPingAt).toISOString()}`;
  return {
    outcome: "down",
    responseMs: null,
    message: `no report within ${Math.round(allowed / 1000)} s: ${last}`,
  };
}
