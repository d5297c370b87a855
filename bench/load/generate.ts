// The load generator, run as a child process of bench/load/run.ts and bench/api/run.ts so that
// it never shares the panel's event loop (nor the orchestrator's): one autocannon instance per
// endpoint, all at once, each with its share of the connections; or, with `sequential`, one
// endpoint after the other, each with all of them. Reads its plan as JSON from argv[2],
// writes {"endpoints":[...]} to stdout.
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { panelReading } from "./profile.ts";
import { type Settle, settle } from "./settle.ts";

export interface Endpoint {
  name: string;
  method: "GET" | "POST";
  path: string;
  /** a JSON body; "{n}" in it becomes a counter unique across this run (names must differ) */
  body?: string;
  /** headers of this endpoint's requests, over the plan's (another caller's credentials) */
  headers?: Record<string, string>;
}

export interface Plan {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /**
   * the same load on the same connections, not measured, first: the panel's code is compiled
   * (JIT) and the connections are open before it counts
   */
  warmupSeconds: number;
  timeoutSeconds: number;
  endpoints: Endpoint[];
  /** one endpoint at a time, each warmed up then measured with every connection */
  sequential?: boolean;
  /**
   * with `sequential`: after each endpoint, `path` is asked until its answer no longer
   * matches `busy` (a regular expression), so that the requests the last endpoint left in
   * flight are done before the next is measured
   */
  settle?: Settle;
}

export interface EndpointResult {
  endpoint: string;
  requests: number;
  reqPerSec: number;
  ok: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** connection errors and answers other than 2xx */
  errors: number;
  timeouts: number;
  /** with `sequential`: the panel's CPU per answer in the measured window (its /metrics) */
  cpuMsPerAnswer?: number;
  /** with `sequential`: the longest the panel's event loop was held up in that window */
  loopDelayMaxMs?: number;
}

let counter = 0;

/** The latency at percentile `p` (0..100) of sorted values, by nearest rank. */
const percentile = (sorted: number[], p: number) =>
  round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
const round = (ms: number) => Math.round(ms * 10) / 10;
/** well past the loop monitor's 10 ms resolution (prom-client's default) */
const LATE_READ_MS = 50;

/**
 * One autocannon run of `warmup + duration` seconds on the same connections; only what
 * happens in the last `duration` seconds counts, so neither the JIT's first calls nor the
 * connections being opened (one accept per turn of the panel's event loop) land in it.
 */
function one(
  plan: Plan,
  e: Endpoint,
  connections: number,
  warmup: number,
  duration: number,
): Promise<EndpointResult> {
  const headers = {
    ...plan.headers,
    ...e.headers,
    ...(e.body ? { "content-type": "application/json" } : {}),
  };
  const body = e.body;
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let timeouts = 0;
  let measuring = warmup <= 0;
  const timer = setTimeout(() => {
    measuring = true;
  }, warmup * 1000);
  return new Promise((resolve, reject) => {
    const run = autocannon(
      {
        url: `${plan.url}${e.path}`,
        connections,
        duration: warmup + duration,
        timeout: plan.timeoutSeconds,
        requests: [
          {
            method: e.method,
            path: e.path,
            headers,
            ...(body
              ? {
                  setupRequest: (req: autocannon.Request) => ({
                    ...req,
                    body: body.replaceAll("{n}", `${process.pid}-${++counter}`),
                  }),
                }
              : {}),
          },
        ],
      },
      (err) => {
        clearTimeout(timer);
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        // not one answer in the window: every client waited all of it (0 would read as fast)
        const none = latencies.length === 0;
        const waited = duration * 1000;
        resolve({
          endpoint: `${e.method} ${e.path}`,
          requests: latencies.length,
          reqPerSec: Math.round(latencies.length / duration),
          ok,
          p50Ms: none ? waited : percentile(latencies, 50),
          p99Ms: none ? waited : percentile(latencies, 99),
          maxMs: none ? waited : round(latencies.at(-1) ?? 0),
          errors,
          timeouts: timeouts + (none ? connections : 0),
        });
      },
    );
    run.on("response", (_client, status: number, _bytes, ms: number) => {
      if (!measuring) return;
      latencies.push(ms);
      if (status >= 200 && status < 300) ok++;
      else errors++;
    });
    run.on("reqError", (err: Error) => {
      if (!measuring) return;
      if (err.message === "request timed out") timeouts++;
      else errors++;
    });
  });
}

/**
 * `one` with the panel read (its /metrics) as the measured window starts and once it ended:
 * what the panel spent per answer, and its event loop's longest delay meanwhile.
 */
async function reading(plan: Plan, e: Endpoint): Promise<EndpointResult> {
  // a floor without /metrics reads as nothing
  const read = () => panelReading(plan.url).catch(() => undefined);
  let before: ReturnType<typeof read> | undefined;
  const start = setTimeout(() => {
    before = read();
  }, plan.warmupSeconds * 1000);
  const result = await one(plan, e, plan.connections, plan.warmupSeconds, plan.durationSeconds);
  clearTimeout(start);
  const [first, last] = await Promise.all([before, read()]);
  // The delay of a turn that held the loop is recorded by the monitor's timer in the turn
  // after it, but /metrics is answered in the turn that ends it (its socket is read first), so
  // the read that follows a long turn missed it: read again once the timer has fired. A window
  // with few answers is made of such turns (it read 0 ms before).
  const late = last && (await sleep(LATE_READ_MS).then(read));
  if (!first || !last) return result;
  const loopDelayMaxMs = round(Math.max(last.loopDelayMaxMs, late?.loopDelayMaxMs ?? 0));
  // no answer: the CPU of the window is not a cost per answer
  if (result.requests === 0) return { ...result, loopDelayMaxMs };
  const cpuMs = (last.cpuSeconds - first.cpuSeconds) * 1000;
  return {
    ...result,
    cpuMsPerAnswer: Math.round((100 * cpuMs) / result.requests) / 100,
    loopDelayMaxMs,
  };
}

/** Each endpoint alone with every connection: warmed up, then measured. */
async function sequential(plan: Plan): Promise<EndpointResult[]> {
  const results: EndpointResult[] = [];
  for (const e of plan.endpoints) {
    const r = await reading(plan, e);
    results.push(r);
    const seconds = plan.timeoutSeconds * 3;
    if (plan.settle && !(await settle(plan.url, plan.settle, seconds)))
      process.stderr.write(`generate: still busy after ${seconds} s\n`);
    process.stderr.write(
      `generate: measured ${e.name}: ${r.reqPerSec} req/s, p99 ${r.p99Ms} ms, ` +
        `${r.cpuMsPerAnswer ?? "?"} CPU ms per answer, event loop held up ${r.loopDelayMaxMs ?? "?"} ms at most\n`,
    );
  }
  return results;
}

async function main() {
  const plan = JSON.parse(process.argv[2] ?? "") as Plan;
  if (plan.sequential) {
    process.stdout.write(`${JSON.stringify({ endpoints: await sequential(plan) })}\n`);
    return;
  }
  const n = plan.endpoints.length;
  // the connections shared as evenly as they go: 200 over 8 endpoints is 25 each
  // the parent reads the panel's CPU when the measured window starts
  setTimeout(() => process.stderr.write("generate: measuring\n"), plan.warmupSeconds * 1000);
  const results = await Promise.all(
    plan.endpoints.map((e, i) =>
      one(
        plan,
        e,
        Math.floor(plan.connections / n) + (i < plan.connections % n ? 1 : 0),
        plan.warmupSeconds,
        plan.durationSeconds,
      ),
    ),
  );
  process.stdout.write(`${JSON.stringify({ endpoints: results })}\n`);
}

main().catch((err) => {
  process.stderr.write(`generate: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
