// The container operations against a real Podman serving the Docker API (packages/testkit
// startPodman): deploy until healthy and serving, names and ports that collide resolved,
// stop keeps the container, remove with and without its volumes, logs, stats, disk usage,
// and prune freeing what it says.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OpResult, operations } from "@steward/contracts/agent";
import { freePort, HTTPD_IMAGE, type PodmanServer, startPodman } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentConfig, parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { handlerFor } from "../index.ts";
import { engineFacts } from "./facts.ts";

let engine: PodmanServer | null = null;
let dir = "";
let config: AgentConfig;
let range: [number, number];

beforeAll(async () => {
  engine = await startPodman();
  dir = mkdtempSync(join(tmpdir(), "steward-apps-"));
  const low = await freePort();
  range = [low, low + 1];
  if (engine) config = configWith(range);
}, 120_000);
afterAll(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function configWith(portRange: [number, number]): AgentConfig {
  return parseConfig(dir, {
    nodeId: "node_test1",
    panelUrl: "https://127.0.0.1:1",
    containers: {
      engine: "podman",
      socket: engine?.socket,
      appsRoot: join(dir, "apps"),
      portRange,
    },
  });
}

async function op<N extends keyof typeof operations>(
  name: N,
  input: unknown,
  cfg: AgentConfig = config,
): Promise<OpResult> {
  const handler = await handlerFor(name);
  if (!handler) throw new Error(`no handler for ${name}`);
  return runOperation(handler, operations[name].input.parse(input), {
    config: cfg,
    requestId: "req",
  });
}

function ok<T>(r: OpResult): T {
  expect(r.error, JSON.stringify(r.error)).toBeUndefined();
  expect(r.status).toBe("ok");
  return r.output as T;
}

interface Deployed {
  container: {
    id: string;
    name: string;
    ports: { host: number; container: number }[];
    health: string | null;
  };
}

const httpd = (appId: string, extra: Record<string, unknown> = {}) => ({
  appId,
  deploymentId: `dep_${appId}`,
  name: "steward-httpd",
  spec: {
    image: HTTPD_IMAGE,
    env: { GREETING: 'it\'s a "quoted" value; --not-a-flag' },
    ports: [{ container: 8080 }],
    volumes: [{ source: "data", target: "/data" }],
    healthCheck: {
      command: ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
      intervalSeconds: 1,
      retries: 3,
    },
    ...extra,
  },
  waitSeconds: 60,
});

async function get(port: number): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const text = await fetch(`http://127.0.0.1:${port}/`)
      .then((r) => r.text())
      .catch(() => "");
    if (text) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  return "";
}

describe("container operations on Podman", () => {
  let first: Deployed;

  it("deploys a container until healthy, on a free host port, with its env and volume", async (t) => {
    if (!engine) return t.skip();
    first = ok<Deployed>(await op("container.deploy", httpd("app_one")));
    expect(first.container.name).toBe("steward-httpd");
    expect(first.container.health).toBe("healthy");
    const port = first.container.ports[0]?.host ?? 0;
    expect(range).toContain(port);
    expect(await get(port)).toBe("steward httpd\n");
    expect(existsSync(join(dir, "apps", "app_one", "data"))).toBe(true);
    const inspected = (await engine.api("GET", `/containers/${first.container.id}/json`)).body as {
      Config: { Env: string[]; Labels: Record<string, string> };
    };
    expect(inspected.Config.Env).toContain('GREETING=it\'s a "quoted" value; --not-a-flag');
    expect(inspected.Config.Labels["steward.app"]).toBe("app_one");
  });

  it("suffixes a taken name and skips ports held by the host or other containers", async (t) => {
    if (!engine) return t.skip();
    // the range's other port is held by a host process: no port is left for a third container
    const other = range[0] === first.container.ports[0]?.host ? range[1] : range[0];
    const listener: Server = createServer();
    await new Promise<void>((r) => listener.listen(other, "0.0.0.0", r));
    try {
      const refused = await op("container.deploy", httpd("app_two"));
      expect(refused.status).toBe("rolled_back");
      expect(refused.error?.code).toBe("PORT_TAKEN");
      // and the refused deploy left no container behind
      const listed = ok<{ containers: unknown[] }>(
        await op("container.list", { appId: "app_two" }),
      );
      expect(listed.containers).toEqual([]);
    } finally {
      await new Promise((r) => listener.close(r));
    }
    const second = ok<Deployed>(await op("container.deploy", httpd("app_two")));
    expect(second.container.name).toBe("steward-httpd-2");
    expect(second.container.ports[0]?.host).toBe(other);
    // a port asked for that another container binds is refused, naming it
    const asked = await op(
      "container.deploy",
      httpd("app_three", { ports: [{ container: 8080, host: other }] }),
    );
    expect(asked.error?.code).toBe("PORT_TAKEN");
    expect(asked.error?.message).toContain(String(other));
  });

  it("stops (the container stays), starts again, shows logs and stats", async (t) => {
    if (!engine) return t.skip();
    ok(await op("container.action", { appId: "app_one", action: "stop" }));
    const stopped = ok<{ containers: { state: string; name: string }[] }>(
      await op("container.list", { appId: "app_one" }),
    );
    expect(stopped.containers.map((c) => [c.name, c.state])).toEqual([["steward-httpd", "exited"]]);
    ok(await op("container.action", { appId: "app_one", action: "start" }));
    expect(await get(first.container.ports[0]?.host ?? 0)).toBe("steward httpd\n");
    const stats = ok<{ stats: { name: string; memoryBytes: number }[] }>(
      await op("container.stats", { appId: "app_one" }),
    );
    expect(stats.stats.map((s) => s.name)).toEqual(["steward-httpd"]);
    expect(stats.stats[0]?.memoryBytes).toBeGreaterThan(0);
    const logs = ok<{ lines: unknown[] }>(await op("container.logs", { appId: "app_one" }));
    expect(Array.isArray(logs.lines)).toBe(true);
  });

  it("removes an app's containers without, then with, its volumes", async (t) => {
    if (!engine) return t.skip();
    const appDir = join(dir, "apps", "app_two");
    writeFileSync(join(appDir, "data", "kept.txt"), "x");
    const kept = ok<{ containers: unknown[]; volumesRemoved: string[] }>(
      await op("container.action", { appId: "app_two", action: "remove" }),
    );
    expect(kept.containers).toHaveLength(1);
    expect(kept.volumesRemoved).toEqual([]);
    expect(existsSync(join(appDir, "data", "kept.txt"))).toBe(true);
    const gone = ok<{ volumesRemoved: string[] }>(
      await op("container.action", {
        appId: "app_one",
        action: "remove",
        volumes: true,
        volumeSources: ["data"],
      }),
    );
    expect(gone.volumesRemoved).toEqual([join(dir, "apps", "app_one", "data")]);
    expect(existsSync(join(dir, "apps", "app_one"))).toBe(false);
    const all = ok<{ containers: unknown[] }>(await op("container.list", {}));
    expect(all.containers).toEqual([]);
  });

  it("reports the engine in the node's facts", async (t) => {
    if (!engine) return t.skip();
    const facts = await engineFacts(config);
    expect(facts?.engine).toBe("podman");
    expect(facts?.version).toBe(engine.version);
    expect(facts?.diskUsage?.images.count).toBeGreaterThanOrEqual(2);
  });

  it("reports disk usage and prunes what it says it frees", async (t) => {
    if (!engine) return t.skip();
    // an image no container uses, with 2 MiB of its own
    const root = join(dir, "junk");
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "blob"), randomBytes(2 * 1024 * 1024));
    execFileSync("/bin/tar", ["-C", root, "-cf", join(dir, "junk.tar"), "."]);
    await engine.podman(["import", join(dir, "junk.tar"), "localhost/steward-junk:1"]);
    // and a stopped container
    ok(await op("container.deploy", httpd("app_four")));
    ok(await op("container.action", { appId: "app_four", action: "stop" }));
    const before = ok<{ images: { count: number; bytes: number } }>(
      await op("engine.disk-usage", {}),
    );
    const pruned = ok<{ bytesFreed: number; removed: { containers: number; images: number } }>(
      await op("engine.prune", { containers: true, images: true, volumes: true, buildCache: true }),
    );
    expect(pruned.removed.containers).toBe(1);
    // the junk and the two test images: nothing runs any more
    expect(pruned.removed.images).toBe(3);
    const after = ok<{ images: { count: number; bytes: number } }>(
      await op("engine.disk-usage", {}),
    );
    expect(after.images.count).toBe(0);
    expect(pruned.bytesFreed).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(before.images.bytes - after.images.bytes).toBeLessThanOrEqual(pruned.bytesFreed);
    expect(before.images.bytes).toBeGreaterThan(2 * 1024 * 1024);
  });
});
