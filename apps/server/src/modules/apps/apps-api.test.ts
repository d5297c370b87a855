// Apps end to end on real components: the panel with its worker, an agent enrolled through
// the public endpoint whose engine is a hermetic Podman (testkit startPodman). A quick service
// deployed through the API serves on the host port the agent chose, its secret never comes
// back, a second one of the same image is suffixed, stop keeps the container and start serves
// again, logs stream over SSE, stats keep a history, the node's engine is for super users
// only, remove names the volumes it removed, prune answers what it freed, and hostile values
// are refused naming their field with nothing created.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HTTPD_IMAGE, startPodman } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const podman = await startPodman();
const appsRoot = await mkdtemp(join(tmpdir(), "steward-apps-"));

const quick = (account: string, node: string, extra: Record<string, unknown> = {}) => ({
  account,
  node,
  image: HTTPD_IMAGE,
  command: ["sh", "-c", "echo started as $ROLE; exec httpd -f -v -p 8080 -h /www"],
  env: [
    { key: "ROLE", value: "web" },
    { key: "API_TOKEN", value: "s3cr3t-'\"; --", secret: true },
  ],
  ports: [{ container: 8080 }],
  volumes: [{ source: "data", target: "/data" }],
  healthCheck: {
    command: ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
    intervalSeconds: 1,
  },
  ...extra,
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

describe.skipIf(!podman)("apps on a node's Podman through the panel", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: EnrolledNode | null = null;
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const deployed = async (taskId: string) => {
    const task = await settleTask(s, taskId, 90_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  /** the first app: its id, host port and the node's name for it (its container's) */
  let first: { id: string; port: number; runtime: string };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollNode(s, w.keys.super, {
      name: "apps-node",
      listen: "127.0.0.1",
      agentJson: { containers: { engine: "podman", socket: podman?.socket, appsRoot } },
    });
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await podman?.stop();
    await rm(appsRoot, { recursive: true, force: true });
  }, 60_000);

  it("deploys a quick service until healthy; its secret is never answered", async () => {
    const res = await api("POST", "/api/v1/apps", quick(w.a, node?.id ?? ""), w.keys.accountAdmin);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: "steward-httpd", status: "deploying" });
    await deployed(res.body.taskId);
    const app = await api("GET", `/api/v1/apps/${res.body.id}`, undefined, w.keys.reader);
    expect(app.body.status).toBe("running");
    expect(app.body.env).toEqual([
      { key: "ROLE", value: "web", secret: false },
      { key: "API_TOKEN", value: null, secret: true },
    ]);
    expect(JSON.stringify(app.body)).not.toContain("s3cr3t");
    expect(app.body.deployments[0]).toMatchObject({ status: "succeeded", image: HTTPD_IMAGE });
    const port = app.body.ports[0].host as number;
    expect(await get(port)).toBe("steward httpd\n");
    // its container is named by the app's runtime name: the name and six characters of its id
    expect(app.body.runtimeName).toBe(`steward-httpd-${res.body.id.slice(-6)}`);
    first = { id: res.body.id, port, runtime: app.body.runtimeName };
    const task = await api("GET", `/api/v1/tasks/${res.body.taskId}`);
    expect(task.body.title).toBe("deploy app steward-httpd");
  });

  it("suffixes the name of a second app of the same image, on another port", async () => {
    const res = await api("POST", "/api/v1/apps", quick(w.a, node?.id ?? ""), w.keys.accountAdmin);
    expect(res.status).toBe(201);
    expect(res.body.name).toBe("steward-httpd-2");
    await deployed(res.body.taskId);
    const app = await api("GET", `/api/v1/apps/${res.body.id}`);
    expect(app.body.ports[0].host).not.toBe(first.port);
    const removed = await api(
      "DELETE",
      `/api/v1/apps/${res.body.id}`,
      undefined,
      w.keys.accountAdmin,
    );
    expect(removed.status).toBe(200);
    expect(removed.body.volumesRemoved).toEqual([]);
    expect(existsSync(join(appsRoot, res.body.id, "data"))).toBe(true);
  });

  it("stops (the container stays) and starts again; readers may not", async () => {
    const refused = await api("POST", `/api/v1/apps/${first.id}/stop`, undefined, w.keys.reader);
    expect(refused.status).toBe(403);
    const stopped = await api(
      "POST",
      `/api/v1/apps/${first.id}/stop`,
      undefined,
      w.keys.accountAdmin,
    );
    expect(stopped.body.status).toBe("stopped");
    const listed = await api("GET", `/api/v1/nodes/${node?.id}/containers`);
    expect(
      listed.body.items.map((c: { name: string; state: string }) => [c.name, c.state]),
    ).toContainEqual([first.runtime, "exited"]);
    const started = await api(
      "POST",
      `/api/v1/apps/${first.id}/start`,
      undefined,
      w.keys.accountAdmin,
    );
    expect(started.body.status).toBe("running");
    expect(await get(first.port)).toBe("steward httpd\n");
  });

  it("streams the app's logs and keeps a history of its stats", async () => {
    const res = await fetch(`${s.url}/api/v1/apps/${first.id}/logs?filter=started`, {
      headers: { authorization: `Bearer ${w.keys.reader}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body?.getReader();
    let text = "";
    while (reader && !text.includes("started as web")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader?.cancel();
    expect(text).toContain('"text":"started as web"');
    expect(text).not.toContain("GET /");
    await api("GET", `/api/v1/apps/${first.id}/stats`, undefined, w.keys.reader);
    const stats = await api("GET", `/api/v1/apps/${first.id}/stats`, undefined, w.keys.reader);
    expect(stats.status).toBe(200);
    expect(stats.body.current.memoryBytes).toBeGreaterThan(0);
    expect(stats.body.history).toHaveLength(2);
  });

  it("keeps one account's apps and the node's engine from others", async () => {
    for (const url of [`/api/v1/apps/${first.id}`, `/api/v1/apps/${first.id}/stats`]) {
      const other = await api("GET", url, undefined, w.keys.otherAdmin);
      expect(other.status).toBe(404);
      expect(JSON.stringify(other.body)).not.toContain("steward-httpd");
    }
    const list = await api("GET", `/api/v1/apps?account=${w.a}`, undefined, w.keys.otherAdmin);
    expect(list.status).toBe(404);
    const running = await api("GET", "/api/v1/apps?status=running", undefined, w.keys.reader);
    expect(running.body.items.map((a: { id: string }) => a.id)).toEqual([first.id]);
    const theirs = await api("GET", "/api/v1/apps?status=running", undefined, w.keys.otherAdmin);
    expect(theirs.body).toEqual({ items: [], nextCursor: null });
    for (const [method, url] of [
      ["GET", `/api/v1/nodes/${node?.id}/containers`],
      ["GET", `/api/v1/nodes/${node?.id}/disk-usage`],
      ["POST", `/api/v1/nodes/${node?.id}/prune`],
    ] as const) {
      const res = await api(method, url, method === "POST" ? {} : undefined, w.keys.accountAdmin);
      expect(res.status, url).toBe(403);
    }
  });

  it("removes an app with its volumes, naming them", async () => {
    const removed = await api(
      "DELETE",
      `/api/v1/apps/${first.id}?volumes=true`,
      undefined,
      w.keys.accountAdmin,
    );
    expect(removed.status).toBe(200);
    expect(removed.body.volumesRemoved).toEqual([join(appsRoot, first.id, "data")]);
    expect(existsSync(join(appsRoot, first.id))).toBe(false);
    expect((await api("GET", `/api/v1/apps/${first.id}`)).status).toBe(404);
  });

  it("reports the engine's disk usage and prunes what it says", async () => {
    const before = await api("GET", `/api/v1/nodes/${node?.id}/disk-usage`);
    expect(before.status).toBe(200);
    expect(before.body.images.count).toBeGreaterThanOrEqual(2);
    const pruned = await api("POST", `/api/v1/nodes/${node?.id}/prune`, { images: true });
    expect(pruned.status, JSON.stringify(pruned.body)).toBe(200);
    const after = await api("GET", `/api/v1/nodes/${node?.id}/disk-usage`);
    expect(pruned.body.removed.images).toBe(before.body.images.count - after.body.images.count);
    expect(pruned.body.bytesFreed).toBe(before.body.images.bytes - after.body.images.bytes);
  });

  it("prunes on a schedule: a system task only super users create", async () => {
    const body = { kind: "engine.prune", payload: { node: node?.id, containers: true } };
    const refused = await api(
      "POST",
      "/api/v1/tasks",
      { ...body, accountId: w.a },
      w.keys.accountAdmin,
    );
    expect(refused.status).toBe(403);
    const bad = await api("POST", "/api/v1/tasks", { ...body, payload: { node: "x'; --" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("payload.node");
    const daily = await api("POST", "/api/v1/tasks", { ...body, expression: "@daily" });
    expect(daily.status, JSON.stringify(daily.body)).toBe(201);
    expect(daily.body.title).toBe("prune a node's container engine");
    const now = await api("POST", "/api/v1/tasks", body);
    expect(now.status).toBe(201);
    const task = await settleTask(s, now.body.id, 60_000);
    expect(task.state, await taskLogText(s, now.body.id)).toBe("succeeded");
    expect(await taskLogText(s, now.body.id)).toMatch(/freed [\d.]+ [KM]iB: \d+ containers/);
  });

  it("refuses hostile values naming the field, creating nothing", async () => {
    const cases: [string, Record<string, unknown>][] = [
      ["image", { image: "busybox; rm -rf /" }],
      ["image", { image: "busy box:latest" }],
      ["image", { image: "--privileged" }],
      ["image", { image: "a".repeat(256) }],
      ["env", { env: [{ key: "A=B", value: "x" }] }],
      ["env", { env: [{ key: "A\nB", value: "x" }] }],
      ["env", { env: [{ key: "A", value: "x\u0000y" }] }],
      ["ports", { ports: [{ container: 0 }] }],
      ["ports", { ports: [{ container: 65536 }] }],
      ["ports", { ports: [{ container: 80, host: 22 }] }],
      ["volumes", { volumes: [{ source: "../etc", target: "/data" }] }],
      ["volumes", { volumes: [{ source: "data", target: "/data/../../etc" }] }],
      ["name", { name: "../escape" }],
      ["name", { name: "Name`whoami`" }],
      ["healthCheck", { healthCheck: { command: ["wget\nx"] } }],
    ];
    for (const [field, over] of cases) {
      const res = await api(
        "POST",
        "/api/v1/apps",
        quick(w.a, node?.id ?? "", over),
        w.keys.accountAdmin,
      );
      expect(res.status, `${field} ${JSON.stringify(over)}`).toBe(400);
      expect(JSON.stringify(res.body.details ?? res.body), JSON.stringify(over)).toContain(field);
    }
    const list = await api("GET", `/api/v1/apps?account=${w.a}`);
    expect(list.body.items).toEqual([]);
  });
});
