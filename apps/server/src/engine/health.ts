// The scheduler-health check of /readyz: a worker or scheduler loop of this process that has
// not ticked for longer than STEWARD_SCHEDULER_STALL_SECONDS makes the process not ready.
import type { Engine } from "./engine.ts";

export type EngineHealth = ReturnType<Engine["health"]>;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function schedulerCheck(h: EngineHealth): { ok: boolean; detail: string } {
  if (h.runnerAgeMs === null && h.schedulerAgeMs === null)
    return { ok: true, detail: "this process runs no worker or scheduler (STEWARD_ROLES)" };
  const parts = [
    h.runnerAgeMs === null
      ? "no worker in this process"
      : `worker last ticked ${seconds(h.runnerAgeMs)} ago, ${h.running} task(s) running`,
    h.schedulerAgeMs === null
      ? "no scheduler in this process"
      : `scheduler last ticked ${seconds(h.schedulerAgeMs)} ago`,
  ];
  const detail = parts.join("; ");
  if (!h.stalled) return { ok: true, detail };
  return { ok: false, detail: `stalled (no tick for over ${seconds(h.stallAfterMs)}): ${detail}` };
}
