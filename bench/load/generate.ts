// The load generator, run as a child process of bench/load/run.ts and bench/api/run.ts so that
// it never shares the panel's event loop (nor the orchestrator's): one autocannon instance per
// endpoint, all at once, each with its share of the connections; or, with `sequential`, one
// endpoint after the other, each with all of them. Reads its plan as JSON from argv[2],
// writes {"endpoints":[...]} to stdout.
import autocannon from "autocannon";

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
  /** the same load, not measured, first: the panel's code is compiled (JIT) before it counts */
  warmupSeconds: number;
  timeoutSeconds: number;
  endpoints: Endpoint[];
  /** one endpoint at a time, each warmed up then measured with every connection */
  sequential?: boolean;
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
}

let counter = 0;

function one(
  plan: Plan,
  e: Endpoint,
  connections: number,
  duration: number,
): Promise<EndpointResult> {
  const headers = {
    ...plan.headers,
    ...e.headers,
    ...(e.body ? { "content-type": "application/json" } : {}),
  };
  const body = e.body;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${plan.url}${e.path}`,
        connections,
        duration,
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
      (err, r) => {
        if (err) return reject(err);
        resolve({
          endpoint: `${e.method} ${e.path}`,
          requests: r.requests.total,
          reqPerSec: Math.round(r.requests.total / Math.max(0.001, r.duration)),
          ok: r["2xx"],
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          maxMs: r.latency.max,
          errors: r.errors - r.timeouts + r.non2xx,
          timeouts: r.timeouts,
        });
      },
    );
  });
}

/** Each endpoint alone with every connection: warmed up, then measured. */
async function sequential(plan: Plan): Promise<EndpointResult[]> {
  const results: EndpointResult[] = [];
  for (const e of plan.endpoints) {
    if (plan.warmupSeconds > 0) await one(plan, e, plan.connections, plan.warmupSeconds);
    results.push(await one(plan, e, plan.connections, plan.durationSeconds));
    process.stderr.write(`generate: measured ${e.name}\n`);
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
  const all = (duration: number) =>
    Promise.all(
      plan.endpoints.map((e, i) =>
        one(
          plan,
          e,
          Math.floor(plan.connections / n) + (i < plan.connections % n ? 1 : 0),
          duration,
        ),
      ),
    );
  if (plan.warmupSeconds > 0) await all(plan.warmupSeconds);
  process.stderr.write("generate: measuring\n"); // the parent reads the panel's CPU now
  const results = await all(plan.durationSeconds);
  process.stdout.write(`${JSON.stringify({ endpoints: results })}\n`);
}

main().catch((err) => {
  process.stderr.write(`generate: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
