// The compose operations against a real Podman serving the Docker API (packages/testkit
// startPodman) and Debian's docker-compose 1.29: a stack of two services comes up, is listed
// with its services and states, serves, shows both services' logs, stops (the containers
// stay) and starts, goes down keeping then removing its volumes; a refused file and a node
// without docker-compose change nothing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OpResult, operations } from "@steward/contracts/agent";
import {
  BUSYBOX_IMAGE,
  freePort,
  HTTPD_IMAGE,
  type PodmanServer,
  startPodman,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentConfig, parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { handlerFor } from "../index.ts";
import { engineFacts } from "./facts.ts";

let engine: PodmanServer | null = null;
let dir = "";
let port = 0;

function configWith(compose?: string): AgentConfig {
  return parseConfig(dir, {
    nodeId: "node_test1",
    panelUrl: "https://127.0.0.1:1",
    containers: {
      engine: "podman",
      socket: engine?.socket,
      appsRoot: join(dir, "apps"),
      ...(compose ? { compose } : {}),
    },
  });
}

beforeAll(async () => {
  engine = await startPodman();
  dir = mkdtempSync(join(tmpdir(), "steward-compose-"));
  port = await freePort();
}, 120_000);
afterAll(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function op(name: keyof typeof operations, input: unknown, cfg = configWith()) {
  const handler = await handlerFor(name);
  if (!handler) throw new Error(`no handler for ${name}`);
  return runOperation(handler, operations[name].input.parse(input), {
    config: cfg,
    requestId: "req",
  });
}
function ok<T>(r: OpResult): T {
  expect(r.error, JSON.stringify(r.error)).toBeUndefined();
  return r.output as T;
}

const stack = () => `
services:
  web:
    image: ${HTTPD_IMAGE}
    command: ["sh", "-c", "echo web up; exec httpd -f -v -p 8080 -h /www"]
    ports: ["${port}:8080"]
    volumes: ["data:/data", "./files:/files"]
    stop_signal: SIGKILL
    healthcheck: { test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"], interval: 1s, retries: 5 }
  worker:
    image: ${BUSYBOX_IMAGE}
    command: ["sh", "-c", "echo worker up; exec sleep 1000"]
    stop_signal: SIGKILL
    depends_on: [web]
volumes:
  data: {}
`;
const up = (appId: string, file: string, extra = {}) =>
  op("compose.up", { appId, project: "shop", file, waitSeconds: 60, ...extra });

interface Listed {
  containers: { name: string; service: string | null; state: string; health: string | null }[];
}
const states = async (appId: string) =>
  ok<Listed>(await op("container.list", { appId })).containers.map((c) => [c.service, c.state]);

describe("compose stacks on Podman", () => {
  it("brings a stack of two services up, listed with their states, serving, with both logs", async (t) => {
    if (!engine) return t.skip();
    const out = ok<{ containers: Listed["containers"]; volumes: string[] }>(
      await up("app_c1", stack()),
    );
    expect(out.containers.map((c) => [c.name, c.service, c.state])).toEqual([
      ["shop_web_1", "web", "running"],
      ["shop_worker_1", "worker", "running"],
    ]);
    expect(out.volumes).toEqual(["shop_data"]);
    expect(existsSync(join(dir, "apps", "app_c1", "files"))).toBe(true);
    expect(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())).toBe("steward httpd\n");
    const logs = ok<{ lines: { container: string; text: string }[] }>(
      await op("container.logs", { appId: "app_c1" }),
    );
    const texts = logs.lines.map((l) => `${l.container}: ${l.text}`);
    expect(texts).toContain("shop_web_1: web up");
    expect(texts).toContain("shop_worker_1: worker up");
    // the engine sees the labels the node wrote (the app's, compose's project)
    const inspected = (await engine.api("GET", "/containers/shop_web_1/json")).body as {
      Config: { Labels: Record<string, string> };
    };
    expect(inspected.Config.Labels["steward.app"]).toBe("app_c1");
    expect(inspected.Config.Labels["com.docker.compose.project"]).toBe("shop");
  });

  it("stops (the containers stay) and starts the stack again", async (t) => {
    if (!engine) return t.skip();
    ok(await op("compose.action", { appId: "app_c1", project: "shop", action: "stop" }));
    expect(await states("app_c1")).toEqual([
      ["web", "exited"],
      ["worker", "exited"],
    ]);
    ok(await op("compose.action", { appId: "app_c1", project: "shop", action: "start" }));
    expect(await states("app_c1")).toEqual([
      ["web", "running"],
      ["worker", "running"],
    ]);
  });

  it("brings the previous stack back when a redeploy fails", async (t) => {
    if (!engine) return t.skip();
    const file = join(dir, "apps", "app_c1", "compose.yml");
    const before = readFileSync(file, "utf8");
    const broken = stack().replace('"echo web up; exec httpd -f -v -p 8080 -h /www"', '"exit 3"');
    const r = await up("app_c1", broken, { waitSeconds: 60 });
    expect(r.status).toBe("rolled_back");
    expect(r.error?.code).toBe("NOT_RUNNING");
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(await states("app_c1")).toEqual([
      ["web", "running"],
      ["worker", "running"],
    ]);
    expect(await fetch(`http://127.0.0.1:${port}/`).then((res) => res.text())).toBe(
      "steward httpd\n",
    );
  });

  it("refuses a compose file the node does not allow, changing nothing", async (t) => {
    if (!engine) return t.skip();
    const bad = stack().replace(
      "    stop_signal: SIGKILL\n    healthcheck",
      "    privileged: true\n    healthcheck",
    );
    const r = await up("app_c2", bad);
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("OP_INPUT_INVALID");
    expect(r.error?.message).toContain("services.web.privileged");
    expect(existsSync(join(dir, "apps", "app_c2"))).toBe(false);
    expect(await states("app_c2")).toEqual([]);
    // a directory the file mounts that a symlink leads out of is refused before use
    mkdirSync(join(dir, "apps", "app_c5"), { recursive: true });
    mkdirSync(join(dir, "outside"));
    symlinkSync(join(dir, "outside"), join(dir, "apps", "app_c5", "files"));
    const escaped = await up("app_c5", stack().replace("./files:/files", "./files/sub:/files"));
    expect(escaped.error?.code).toBe("OP_INPUT_INVALID");
    expect(escaped.error?.message).toContain("./files/sub leads outside the app's directory");
    expect(existsSync(join(dir, "outside", "sub"))).toBe(false);
    expect(await states("app_c5")).toEqual([]);
    // a node without docker-compose says so, and changes nothing either
    const none = await op(
      "compose.up",
      { appId: "app_c4", project: "other", file: stack() },
      configWith("/nonexistent/docker-compose"),
    );
    expect(none.error?.code).toBe("ENGINE_UNAVAILABLE");
    expect(none.error?.message).toContain("docker-compose is not installed");
    expect(existsSync(join(dir, "apps", "app_c4"))).toBe(false);
  });

  it("goes down keeping its volumes, then removing them with the app's directory", async (t) => {
    if (!engine) return t.skip();
    const kept = ok<{ containers: string[]; volumesRemoved: string[] }>(
      await op("compose.down", { appId: "app_c1", project: "shop" }),
    );
    expect(kept.containers.sort()).toEqual(["shop_web_1", "shop_worker_1"]);
    expect(kept.volumesRemoved).toEqual([]);
    expect(await states("app_c1")).toEqual([]);
    const podman = engine;
    const volumes = async () =>
      ((await podman.api("GET", "/volumes")).body as { Volumes: { Name: string }[] }).Volumes.map(
        (v) => v.Name,
      );
    expect(await volumes()).toContain("shop_data");
    ok(await up("app_c1", stack()));
    const gone = ok<{ volumesRemoved: string[] }>(
      await op("compose.down", { appId: "app_c1", project: "shop", volumes: true }),
    );
    expect(gone.volumesRemoved).toEqual(["shop_data", join(dir, "apps", "app_c1")]);
    expect(await volumes()).not.toContain("shop_data");
    expect(existsSync(join(dir, "apps", "app_c1"))).toBe(false);
  });

  it("reports docker-compose in the node's facts", async (t) => {
    if (!engine) return t.skip();
    expect((await engineFacts(configWith()))?.compose).toMatch(/^1\.\d+/);
    expect((await engineFacts(configWith("/nonexistent/docker-compose")))?.compose).toBeNull();
  });
});
