// The monitor scheduler's gauges on /metrics (what bench:monitors reads from a running panel):
// the checks this process has started, the start delay of its recent checks (p99 and max of
// the last 8,192 starts) and the monitors it holds. A process that does not run the scheduler
// reports zeros.
import { Gauge, type Registry } from "prom-client";
import type { MonitorScheduler } from "./scheduler.ts";

export function registerMonitorMetrics(
  registry: Registry,
  svc: { monitorScheduler: Pick<MonitorScheduler, "stats"> },
) {
  const gauge = (
    name: string,
    help: string,
    pick: (s: ReturnType<MonitorScheduler["stats"]>) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(svc.monitorScheduler.stats()));
      },
    });
  gauge("steward_monitor_checks_total", "Monitor checks this process has started", (s) => s.checks);
  gauge("steward_monitors_held", "Monitors this process holds a lease on", (s) => s.held);
  gauge(
    "steward_monitor_start_jitter_p99_seconds",
    "p99 of the delay between a check's due time and its start (the last 8,192 starts)",
    (s) => (s.p99JitterMs ?? 0) / 1000,
  );
  gauge(
    "steward_monitor_start_jitter_max_seconds",
    "The longest delay between a check's due time and its start (the last 8,192 starts)",
    (s) => (s.maxJitterMs ?? 0) / 1000,
  );
}
