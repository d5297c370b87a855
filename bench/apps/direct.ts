// The deploys without the panel: steward-agent, `container.deploy` sent to a real agent over
// mTLS (what the panel's app.deploy task sends: the image checked, names and ports chosen
// free, created, started, its health check passed); floor, the same container created and
// started through the engine's API directly, then its health check run until it passes (as
// the agent does on Podman, which has no timer for it here). Each container is removed
// between deploys (not timed).
import { startTestAgent } from "@steward/agent/testing";
import { opStreamLine } from "@steward/contracts/agent";
import { freePort, HTTPD_IMAGE, type PodmanServer } from "@steward/testkit";
import { type DeployRow, deployRow } from "./result.ts";

export const HEALTH = ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"];
/** httpd logging each request (-v): every health check is a log line for the live streams */
export const COMMAND = ["sh", "-c", "exec httpd -f -v -p 8080 -h /www"];

export async function stewardAgent(podman: PodmanServer, deploys: number): Promise<DeployRow> {
  // the default portRange, as the panel's node (panel-node.ts)
  const agent = await startTestAgent({
    containers: { engine: "podman", socket: podman.socket, appsRoot: `${podman.dir}/apps` },
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
          command: COMMAND,
          ports: [{ container: 8080 }],
          healthCheck: { command: HEALTH, intervalSeconds: 1 },
        },
      };
      const start = performance.now();
      await op("container.deploy", input);
      times.push(performance.now() - start);
      await op("container.action", { appId: "app_bench", action: "remove" });
    }
    return deployRow("steward-agent", times);
  } finally {
    await agent.stop();
  }
}

export async function floor(podman: PodmanServer, deploys: number): Promise<DeployRow> {
  const times: number[] = [];
  for (let i = 0; i < deploys; i++) {
    const port = await freePort();
    const start = performance.now();
    const created = await podman.api("POST", "/containers/create?name=floor", {
      Image: HTTPD_IMAGE,
      Cmd: COMMAND,
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
  return deployRow("floor", times);
}
