// The host ports other containers bind, on a real Podman (testkit startPodman): a running
// container's from the engine's list, a stopped one's from its inspect — and only the stopped
// ones are inspected (a node running 200 apps is read in one list, bench:apps).
import { freePort, HTTPD_IMAGE, type PodmanServer, startPodman } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { type Engine, engineOf } from "./engine.ts";
import { listContainers } from "./list.ts";
import { containerBindings } from "./ports.ts";

const podman = await startPodman();

afterAll(async () => {
  await podman?.stop();
}, 60_000);

/** The engine, every call it answers recorded ("GET /containers/…/json"). */
function recorded(socket: string): { engine: Engine; calls: string[] } {
  const real = engineOf(
    parseConfig("/nonexistent", {
      nodeId: "node_test1",
      panelUrl: "https://127.0.0.1:1",
      containers: { engine: "podman", socket },
    }),
  );
  const calls: string[] = [];
  return {
    calls,
    engine: {
      ...real,
      call: (method, path, body, timeoutMs) => {
        calls.push(`${method} ${path}`);
        return real.call(method, path, body, timeoutMs);
      },
    },
  };
}

async function create(p: PodmanServer, name: string, bindings: Record<string, number>) {
  const r = await p.api("POST", `/containers/create?name=${name}`, {
    Image: HTTPD_IMAGE,
    ExposedPorts: Object.fromEntries(Object.keys(bindings).map((k) => [k, {}])),
    HostConfig: {
      PortBindings: Object.fromEntries(
        Object.entries(bindings).map(([k, port]) => [k, [{ HostPort: String(port) }]]),
      ),
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return (r.body as { Id: string }).Id;
}

describe.skipIf(!podman)("containerBindings", () => {
  it("takes running containers' ports from the list and inspects only the others", async () => {
    if (!podman) return;
    const [web, dns, stopped] = [await freePort(), await freePort(), await freePort()];
    await create(podman, "running", { "8080/tcp": web, "5353/udp": dns });
    expect((await podman.api("POST", "/containers/running/start")).status).toBe(204);
    const stoppedId = await create(podman, "stopped", { "8080/tcp": stopped });
    const { engine, calls } = recorded(podman.socket);
    const taken = await containerBindings(engine, await listContainers(engine));
    expect([...taken].sort()).toEqual([`${dns}/udp`, `${stopped}/tcp`, `${web}/tcp`].sort());
    expect(calls.filter((c) => c.endsWith("/json") && !c.includes("/containers/json"))).toEqual([
      `GET /containers/${stoppedId}/json`,
    ]);
  });
});
