// `npm run bench:apps [-- --json] [--deploys N] [--containers N --seconds S]`: quick services
// (testkit's busybox httpd image, one published port, a health check every second) on a
// hermetic Podman (testkit startPodman), from the request until the container is healthy, N
// times each (default 20; each app removed between deploys, not timed):
// - steward: `POST /api/v1/apps` on a real panel (SQLite) until `GET /api/v1/apps/{id}` reads
//   running: the API, the task queue and worker, the agent (its own process) over mTLS;
// - steward-agent: `container.deploy` sent to an agent directly (the panel left out);
// - floor: the same container created and started through the engine's API directly.
// With --containers N (e.g. 200): N apps deployed on the node through the panel, then the
// pages a user reads timed under 10 clients for --seconds (default 60) while log streams are
// open, with the agent's peak RSS and CPU (many.ts). Progress on stderr; stdout a table, or
// with --json only {"results":[…]} (result.ts).
import { parseArgs } from "node:util";
import { type PodmanServer, startPodman } from "@steward/testkit";
import { floor, stewardAgent } from "./direct.ts";
import { deployMany, measureMany } from "./many.ts";
import { startPanelNode } from "./panel-node.ts";
import type { Result } from "./result.ts";
import { stewardApi } from "./through-panel.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    deploys: { type: "string", default: "20" },
    containers: { type: "string", default: "0" },
    seconds: { type: "string", default: "60" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

function whole(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} takes a whole number ≥ ${min}`);
  return n;
}

/** The three deploy rows, then (with containers > 0) the N-containers rows. */
async function measure(podman: PodmanServer, deploys: number, containers: number, seconds: number) {
  const results: Result[] = [];
  const keep = (r: Result) => {
    say(JSON.stringify(r));
    results.push(r);
  };
  const node = await startPanelNode(podman);
  try {
    keep(await stewardApi(node, deploys));
    keep(await stewardAgent(podman, deploys));
    keep(await floor(podman, deploys));
    if (containers > 0) {
      const t0 = performance.now();
      const ids = await deployMany(node, containers, say);
      const took = ((performance.now() - t0) / 1000).toFixed(0);
      say(`${containers} apps running in ${took} s; measuring for ${seconds} s`);
      for (const r of await measureMany(node, ids, { containers, seconds, say })) keep(r);
    }
  } finally {
    await node.close();
  }
  return results;
}

function table(results: Result[]): string {
  return results
    .map((r) =>
      "deploys" in r
        ? `${r.system.padEnd(14)} ${r.deploys} deploys: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`
        : "endpoint" in r
          ? `${r.endpoint.padEnd(34)} ${r.containers} containers, ${r.requests} requests: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`
          : `${r.metric.padEnd(34)} ${r.containers} containers: RSS ${r.rssMb} MB, CPU ${r.cpuPercent}% (load ${r.load})`,
    )
    .join("\n");
}

async function main(): Promise<number> {
  const deploys = whole("deploys", values.deploys, 1);
  const containers = whole("containers", values.containers, 0);
  const seconds = whole("seconds", values.seconds, 1);
  const podman = await startPodman();
  if (!podman) throw new Error("Podman (podman, runc, busybox-static) is needed");
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => void podman.stop().finally(() => process.exit(130)));
  let results: Result[];
  try {
    results = await measure(podman, deploys, containers, seconds);
  } finally {
    await podman.stop();
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else process.stdout.write(`${table(results)}\n`);
  return 0;
}

const watchdog = setTimeout(() => {
  say("watchdog: the run took more than 60 minutes");
  process.exit(2);
}, 60 * 60_000);
watchdog.unref();
main().then(
  (code) => process.exit(code),
  (err) => {
    say(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
