// `npm run bench:apps [-- --json] [--deploys N]`: a quick service deployed on a hermetic Podman
// (testkit startPodman), from the request until the container is healthy, N times (default
// 20). steward: `container.deploy` sent to a real agent over mTLS (what the panel's app.deploy
// task sends: the image checked, names and ports chosen free, created, started, its health
// check passed); floor: the same container created and started through the engine's API
// directly, then its health check run until it passes (as the agent does on Podman, which has
// no timer for it here). Each container is removed between deploys (not timed). Progress on
// stderr; stdout the table, or with --json only {"results":[{"system","deploys","p50Ms","p99Ms"}]}.
import { parseArgs } from "node:util";
import { startTestAgent } from "@steward/agent/testing";
import { opStreamLine } from "@steward/contracts/agent";
import { freePort, HTTPD_IMAGE, type PodmanServer, startPodman } from "@steward/testkit";
import { percentile } from "../tasks/harness.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    deploys: { type: "string", default: "20" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

export interface Result {
  system: "steward" | "floor";
  deploys: number;
  p50Ms: number;
  p99Ms: number;
}

const HEALTH = ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"];
const round = (n: number) => Math.round(n * 10) / 10;
const summary = (system: Result["system"], times: number[]): Result => {
  times.sort((a, b) => a - b);
  return {
    system,
    deploys: times.length,
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
  };
};

async function steward(podman: PodmanServer, deploys: number): Promise<Result> {
  const low = await freePort();
  const agent = await startTestAgent({
    containers: {
      engine: "podman",
      socket: podman.socket,
      appsRoot: `${podman.dir}/apps`,
      portRange: [low, low + 100],
    },
  });
  const op = async (name: string, input: unknown) => {
    const r = await agent.call(`/v1/ops/${name}`, { body: { version: 1, input } });
    const last = r
      .lines()
      .map((l) => opStreamLine.parse(l))
      .at(-1);
    if (last?.type !== "result" || last.result.status !== "ok")
      throw new Error(`${name}: ${JSON.stringify(last)}`);
  };
  try {
    const times: number[] = [];
    for (let i = 0; i < deploys; i++) {
      const input = {
        appId: "app_bench",
        deploymentId: `dep_${i}`,
        name: "bench",
        spec: {
          image: HTTPD_IMAGE,
          ports: [{ container: 8080 }],
          healthCheck: { command: HEALTH, intervalSeconds: 1 },
        },
      };
      const start = performance.now();
      await op("container.deploy", input);
      times.push(performance.now() - start);
      await op("container.action", { appId: "app_bench", action: "remove" });
    }
    return summary("steward", times);
  } finally {
    await agent.stop();
  }
}

async function floor(podman: PodmanServer, deploys: number): Promise<Result> {
  const times: number[] = [];
  for (let i = 0; i < deploys; i++) {
    const port = await freePort();
    const start = performance.now();
    const created = await podman.api("POST", "/containers/create?name=floor", {
      Image: HTTPD_IMAGE,
      ExposedPorts: { "8080/tcp": {} },
      Healthcheck: { Test: ["CMD", ...HEALTH], Interval: 1e9, Timeout: 5e9, Retries: 3 },
      HostConfig: { PortBindings: { "8080/tcp": [{ HostPort: String(port) }] } },
    });
    if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.body)}`);
    const started = await podman.api("POST", "/containers/floor/start");
    if (started.status !== 204) throw new Error(`start: ${JSON.stringify(started.body)}`);
    for (let tries = 0; ; tries++) {
      const h = await podman.api("GET", "/v4.0.0/libpod/containers/floor/healthcheck");
      if ((h.body as { Status?: string }).Status === "healthy") break;
      if (tries > 100) throw new Error(`never healthy: ${JSON.stringify(h.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    times.push(performance.now() - start);
    await podman.api("DELETE", "/containers/floor?force=1");
  }
  return summary("floor", times);
}

async function main(): Promise<number> {
  const deploys = Number(values.deploys);
  if (!Number.isInteger(deploys) || deploys < 1)
    throw new Error("--deploys takes a whole number ≥ 1");
  const podman = await startPodman();
  if (!podman) throw new Error("Podman (podman, runc, busybox-static) is needed");
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => void podman.stop().finally(() => process.exit(130)));
  const results: Result[] = [];
  try {
    for (const run of [steward, floor]) {
      const r = await run(podman, deploys);
      say(JSON.stringify(r));
      results.push(r);
    }
  } finally {
    await podman.stop();
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else {
    const cols = ["system", "deploys", "p50Ms", "p99Ms"] as const;
    const lines = [cols, ...results.map((r) => cols.map((c) => String(r[c])))];
    process.stdout.write(`${lines.map((l) => l.map((c) => c.padEnd(9)).join(" ")).join("\n")}\n`);
  }
  return 0;
}

const watchdog = setTimeout(() => {
  say("watchdog: the run took more than 30 minutes");
  process.exit(2);
}, 30 * 60_000);
watchdog.unref();
main().then(
  (code) => process.exit(code),
  (err) => {
    say(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
