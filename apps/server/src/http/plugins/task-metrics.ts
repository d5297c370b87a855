// Task engine gauges on /metrics: when this process's worker and scheduler last ticked,
// whether they count as stalled, and how many tasks the table holds in each state.
import { Gauge, type Registry } from "prom-client";
import type { Db } from "../../db/open.ts";
import type { EngineHealth } from "../../engine/health.ts";
import { boundedCount } from "../../lib/sql.ts";

const STATES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
/** /metrics is public: the grouped count runs at most this often, however often it is scraped */
const COUNT_CACHE_MS = 5_000;
/**
 * Each state is counted on its own index range, up to this many (the next value means "more"):
 * a table of millions of finished tasks costs no scan of them, on the event loop or not.
 */
export const STATE_COUNT_LIMIT = 100_000;

export function registerTaskMetrics(
  registry: Registry,
  svc: { db: Db; engine: { health(): EngineHealth } },
) {
  /** seconds since a loop last ran; no sample when this process does not run that loop */
  const age = (name: string, help: string, pick: (h: EngineHealth) => number | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const ms = pick(svc.engine.health());
        if (ms === null) this.remove();
        else this.set(ms / 1000);
      },
    });
  age(
    "steward_task_runner_last_tick_age_seconds",
    "Seconds since this process's task worker last polled for tasks",
    (h) => h.runnerAgeMs,
  );
  age(
    "steward_task_scheduler_last_tick_age_seconds",
    "Seconds since this process's scheduler last reaped expired leases",
    (h) => h.schedulerAgeMs,
  );
  new Gauge({
    name: "steward_tasks_running",
    help: "Tasks running in this process's worker",
    registers: [registry],
    collect() {
      this.set(svc.engine.health().running);
    },
  });
  new Gauge({
    name: "steward_scheduler_stalled",
    help: "1 when this process's worker or scheduler has not ticked for longer than STEWARD_SCHEDULER_STALL_SECONDS",
    registers: [registry],
    collect() {
      this.set(svc.engine.health().stalled ? 1 : 0);
    },
  });

  let counted: { at: number; counts: Promise<Map<string, number>> } | null = null;
  const countByState = async () => {
    const k = svc.db.db;
    const counts = await Promise.all(
      STATES.map((state) =>
        boundedCount(k, k.selectFrom("tasks").where("state", "=", state), STATE_COUNT_LIMIT),
      ),
    );
    return new Map(STATES.map((state, i) => [state as string, counts[i] ?? 0]));
  };
  new Gauge({
    name: "steward_tasks",
    help: "Tasks in the database by state (all processes), counted up to 100000 (100001 means more)",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const now = Date.now();
      if (!counted || now - counted.at > COUNT_CACHE_MS)
        counted = { at: now, counts: countByState() };
      const mine = counted;
      try {
        const counts = await mine.counts;
        for (const state of STATES) this.set({ state }, counts.get(state) ?? 0);
      } catch {
        // a database that does not answer is /readyz's to report; no stale numbers here
        if (counted === mine) counted = null;
        this.reset();
      }
    },
  });
}
