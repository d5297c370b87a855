// The floor: Prometheus's blackbox exporter probing the same targets, driven the way
// Prometheus drives it: a scraper loop (this process) that requests each target's probe once
// per interval at the target's own offset, all at once as Prometheus's scrape loops do. The
// exporter's CPU and RSS come from /proc; the jitter is the scraper's start delay.
import { startBlackbox } from "@steward/testkit";
import { cpuSecondsOf, loadAverage, rssMbOf } from "./proc.ts";
import { p99, type Result, round, waitUntil } from "./result.ts";
import type { RunOptions } from "./steward.ts";
import type { Target } from "./target.ts";

export async function runBlackbox(target: Target, o: RunOptions): Promise<Result> {
  const exporter = await startBlackbox({ timeoutSeconds: Math.min(10, o.intervalSeconds - 1) });
  if (!exporter) throw new Error("the blackbox exporter is not installed");
  const interval = o.intervalSeconds * 1000;
  const start = Date.now();
  // target i is due at start + its offset, then every interval
  const due = Array.from({ length: o.monitors }, (_, i) => start + (i * interval) / o.monitors);
  const jitter: number[] = [];
  let measuring = false;
  let done = 0;
  let failed = 0;
  let stopped = false;
  const probe = async (i: number) => {
    const res = await fetch(exporter.probeUrl(target.url(i)));
    const text = await res.text();
    if (measuring) {
      done++;
      if (!/^probe_success 1$/m.test(text)) failed++;
    }
  };
  const tick = () => {
    if (stopped) return;
    const now = Date.now();
    for (let i = 0; i < due.length; i++) {
      const at = due[i] as number;
      if (at > now) continue;
      if (measuring) jitter.push(now - at);
      due[i] = at + interval;
      void probe(i).catch(() => {});
    }
    setTimeout(tick, 50);
  };
  try {
    tick();
    o.say(`blackbox-exporter: warming up for ${o.warmupSeconds} s`);
    await waitUntil(Date.now() + o.warmupSeconds * 1000);
    o.say(`blackbox-exporter: measuring for ${o.seconds} s`);
    measuring = true;
    const cpu0 = cpuSecondsOf(exporter.pid);
    const t0 = performance.now();
    let rss = rssMbOf(exporter.pid);
    const end = Date.now() + o.seconds * 1000;
    while (Date.now() < end) {
      await waitUntil(Math.min(end, Date.now() + 5_000));
      rss = Math.max(rss, rssMbOf(exporter.pid));
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSecondsOf(exporter.pid) - cpu0;
    measuring = false;
    return {
      system: "blackbox-exporter",
      monitors: o.monitors,
      checksPerMinute: round((done / seconds) * 60, 0),
      p99JitterMs: round(p99(jitter)),
      cpuPercent: round((cpu / seconds) * 100),
      rssMb: round(rss),
      pageP99Ms: null,
      load: loadAverage(),
      note: `${failed} of ${done} probes failed (the down targets)`,
    };
  } finally {
    stopped = true;
    await exporter.stop();
  }
}
