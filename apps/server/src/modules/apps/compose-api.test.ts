// Compose apps and one-click apps end to end: the panel with its worker, an agent enrolled
// through the public endpoint whose engine is a hermetic Podman (testkit startPodman) and
// whose docker-compose is Debian's. A stack of two services deployed through the API comes up
// and serves, its services are listed with their states, its logs show both, stop keeps the
// containers, a redeploy brings it up again, remove keeps then deletes its volumes; a refused
// file changes nothing until a super user allows the option on the node; the static file
// server of the catalog serves its page; WordPress (whose images cannot be pulled here) is
// created with sealed generated passwords and its deploy fails with the node's words
// (catalog.test.ts checks and renders every template).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUSYBOX_IMAGE, freePort, HTTPD_IMAGE, startPodman } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const podman = await startPodman();
const appsRoot = await mkdtemp(join(tmpdir(), "steward-compose-"));
const port = await freePort();

const stack = `
services:
  web:
    image: ${HTTPD_IMAGE}
    command: ["sh", "-c", "echo web says $$GREETING; exec httpd -f -v -p 8080 -h /www"]
    environment: { GREETING: "\${GREETING}", TOKEN: "\${TOKEN}" }
    ports: ["${port}:8080"]
    volumes: ["data:/data"]
    stop_signal: SIGKILL
  worker:
    image: ${BUSYBOX_IMAGE}
    command: ["sh", "-c", "echo worker ready; exec sleep 1000"]
    stop_signal: SIGKILL
volumes:
  data: {}
`;

async function get(url: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const text = await fetch(url)
      .then((r) => r.text())
      .catch(() => "");
    if (text) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  return "";
}

describe.skipIf(!podman)("compose apps on a node's Podman through the panel", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: EnrolledNode | null = null;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const deployed = async (taskId: string) => {
    const task = await settleTask(s, taskId, 120_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  const create = (body: Record<string, unknown>) =>
    api("POST", "/api/v1/apps/compose", { account: w.a, node: node?.id, ...body });
  let app = "";
  /** the stack's runtime name: its project's, containers' and volumes' prefix */
  let runtime = "";

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollNode(s, w.keys.super, {
      name: "compose-node",
      listen: "127.0.0.1",
      agentJson: { containers: { engine: "podman", socket: podman?.socket, appsRoot } },
    });
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await podman?.stop();
    await rm(appsRoot, { recursive: true, force: true });
  }, 60_000);

  it("deploys a stack of two services that serves; its secret is never answered", async () => {
    const res = await create({
      name: "shop",
      compose: stack,
      env: [
        { key: "GREETING", value: "hello" },
        { key: "TOKEN", value: "s3cr3t-'\"; --", secret: true },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: "shop", source: "compose", status: "deploying" });
    app = res.body.id;
    await deployed(res.body.taskId);
    const got = await api("GET", `/api/v1/apps/${app}`, undefined, w.keys.reader);
    expect(got.body.status).toBe("running");
    expect(got.body.compose.services).toEqual([
      { name: "web", image: HTTPD_IMAGE },
      { name: "worker", image: BUSYBOX_IMAGE },
    ]);
    runtime = got.body.runtimeName;
    expect(runtime).toBe(`shop-${app.slice(-6)}`);
    expect(got.body.compose.volumes).toEqual([`${runtime}_data`]);
    expect(got.body.image).toBe(`${HTTPD_IMAGE}, ${BUSYBOX_IMAGE}`);
    expect(got.body.ports).toEqual([{ container: 8080, host: port, protocol: "tcp" }]);
    expect(JSON.stringify(got.body)).not.toContain("s3cr3t");
    const containers = got.body.deployments[0].containers as { service: string; state: string }[];
    expect(containers.map((c) => [c.service, c.state])).toEqual([
      ["web", "running"],
      ["worker", "running"],
    ]);
    expect(await get(`http://127.0.0.1:${port}/`)).toBe("steward httpd\n");
  });

  it("shows the logs of both services", async () => {
    const res = await fetch(`${s.url}/api/v1/apps/${app}/logs`, {
      headers: { authorization: `Bearer ${w.keys.reader}` },
    });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    let text = "";
    while (reader && !(text.includes("web says hello") && text.includes("worker ready"))) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader?.cancel();
    expect(text).toContain(`"container":"${runtime}_web_1"`);
    expect(text).toContain(`"container":"${runtime}_worker_1"`);
  });

  it("stops (the containers stay), starts and redeploys the stack", async () => {
    const states = async () => {
      const listed = await api(
        "GET",
        `/api/v1/nodes/${node?.id}/containers`,
        undefined,
        w.keys.super,
      );
      return (listed.body.items as { appId: string; service: string; state: string }[])
        .filter((c) => c.appId === app)
        .map((c) => [c.service, c.state]);
    };
    const stopped = await api("POST", `/api/v1/apps/${app}/stop`);
    expect(stopped.body.status).toBe("stopped");
    expect(await states()).toEqual([
      ["web", "exited"],
      ["worker", "exited"],
    ]);
    expect((await api("POST", `/api/v1/apps/${app}/start`)).body.status).toBe("running");
    expect(await states()).toEqual([
      ["web", "running"],
      ["worker", "running"],
    ]);
    const again = await api("POST", `/api/v1/apps/${app}/deploy`);
    expect(again.status).toBe(202);
    await deployed(again.body.taskId);
    expect(await taskLogText(s, again.body.taskId)).toContain("bringing up the compose stack shop");
    expect(await get(`http://127.0.0.1:${port}/`)).toBe("steward httpd\n");
  });

  it("takes a new file; one that fails to deploy leaves the previous stack running", async () => {
    const url = `/api/v1/apps/${app}/compose`;
    const refused = await api("PUT", url, {
      compose: stack.replace("stop_signal", "privileged: true\n    stop_signal"),
    });
    expect(refused.body.error.details[0].field).toBe("compose.services.web.privileged");
    expect((await api("GET", `/api/v1/apps/${app}`)).body.compose.file).toBe(stack);
    const broken = await api("PUT", url, {
      compose: stack.replace(
        "echo web says $$GREETING; exec httpd -f -v -p 8080 -h /www",
        "exit 3",
      ),
    });
    expect(broken.status).toBe(202);
    const task = await settleTask(s, broken.body.taskId, 120_000);
    expect(task.state).toBe("failed");
    expect(await taskLogText(s, broken.body.taskId)).toContain(
      "the node brought the previous stack back",
    );
    const after = await api("GET", `/api/v1/apps/${app}`);
    expect(after.body).toMatchObject({ status: "running", lastError: expect.any(String) });
    expect(await get(`http://127.0.0.1:${port}/`)).toBe("steward httpd\n");
    const fixed = await api("PUT", url, { compose: stack });
    await deployed(fixed.body.taskId);
  });

  it("refuses what the node does not allow, changing nothing, until a super user allows it", async () => {
    const capped = stack
      .replace(
        "    stop_signal: SIGKILL\n  worker",
        "    cap_add: [NET_ADMIN]\n    stop_signal: SIGKILL\n  worker",
      )
      .replace(`${port}:8080`, "8080");
    const refused = await create({
      name: "capped",
      compose: capped,
      env: [
        { key: "GREETING", value: "x" },
        { key: "TOKEN", value: "y" },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      {
        field: "compose.services.web.cap_add",
        message: 'added capabilities: refused unless a super user allows "cap-add" on the node',
      },
    ]);
    const list = await api("GET", `/api/v1/apps?account=${w.a}`);
    expect(list.body.items.map((a: { name: string }) => a.name)).toEqual(["shop"]);
    const allow = `/api/v1/nodes/${node?.id}/compose-allow`;
    expect((await api("PUT", allow, { allow: ["cap-add"] })).status).toBe(403);
    const allowed = await api("PUT", allow, { allow: ["cap-add"] }, w.keys.super);
    expect(allowed.body).toEqual({ node: node?.id, allow: ["cap-add"] });
    const ok = await create({
      name: "capped",
      compose: capped,
      env: [
        { key: "GREETING", value: "x" },
        { key: "TOKEN", value: "y" },
      ],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    await deployed(ok.body.taskId);
    const cappedName = ok.body.runtimeName as string;
    const inspected = (await podman?.api("GET", `/containers/${cappedName}_web_1/json`))?.body as {
      HostConfig: { CapAdd: string[] };
    };
    expect(inspected.HostConfig.CapAdd.join(" ")).toMatch(/NET_ADMIN/);
    await api("PUT", allow, { allow: [] }, w.keys.super);
    const removed = await api("DELETE", `/api/v1/apps/${ok.body.id}?volumes=true`);
    expect(removed.body.volumesRemoved).toEqual([`${cappedName}_data`, join(appsRoot, ok.body.id)]);
  });

  it("keeps one account's stacks from others", async () => {
    const other = await api("GET", `/api/v1/apps/${app}`, undefined, w.keys.otherAdmin);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain("shop");
    const elsewhere = await api(
      "POST",
      "/api/v1/apps/compose",
      { account: w.a, node: node?.id, name: "x", compose: stack },
      w.keys.otherAdmin,
    );
    expect(elsewhere.status).toBe(404);
  });

  it("removes the stack keeping, then with, its volumes", async () => {
    const volumes = async () => {
      const listed = podman ? (await podman.api("GET", "/volumes")).body : { Volumes: [] };
      return (listed as { Volumes: { Name: string }[] }).Volumes.map((v) => v.Name);
    };
    const kept = await api("DELETE", `/api/v1/apps/${app}`);
    expect(kept.status).toBe(200);
    expect(kept.body.volumesRemoved).toEqual([]);
    expect(await volumes()).toContain(`${runtime}_data`);
    // the same stack again is another app, with a volume of its own: the kept one is not taken
    // over (another account's "shop" on the node would have had it); removed with volumes,
    // its own is gone and the kept one stays
    const again = await create({
      name: "shop",
      compose: stack,
      env: [
        { key: "GREETING", value: "hi" },
        { key: "TOKEN", value: "t" },
      ],
    });
    const fresh = again.body.runtimeName as string;
    expect(fresh).not.toBe(runtime);
    await deployed(again.body.taskId);
    const gone = await api("DELETE", `/api/v1/apps/${again.body.id}?volumes=true`);
    expect(gone.body.volumesRemoved).toEqual([`${fresh}_data`, join(appsRoot, again.body.id)]);
    expect(await volumes()).not.toContain(`${fresh}_data`);
    expect(await volumes()).toContain(`${runtime}_data`);
    expect(existsSync(join(appsRoot, again.body.id))).toBe(false);
  });

  it("deploys the catalog's static file server, serving its page", async () => {
    const catalog = await api("GET", "/api/v1/app-catalog", undefined, w.keys.reader);
    expect(catalog.body.items.map((i: { id: string }) => i.id)).toEqual([
      "static-site",
      "wordpress",
      "uptime-kuma",
    ]);
    const res = await create({
      catalog: "static-site",
      env: [{ key: "IMAGE", value: BUSYBOX_IMAGE }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.name).toBe("static-site");
    await deployed(res.body.taskId);
    const got = await api("GET", `/api/v1/apps/${res.body.id}`);
    const host = got.body.ports[0].host as number;
    expect(await get(`http://127.0.0.1:${host}/`)).toBe("<h1>It works</h1>\n");
    expect(existsSync(join(appsRoot, res.body.id, "site", "index.html"))).toBe(true);
    const second = await create({
      catalog: "static-site",
      env: [{ key: "IMAGE", value: BUSYBOX_IMAGE }],
    });
    expect(second.body.name).toBe("static-site-2");
    await deployed(second.body.taskId);
  });

  it("creates WordPress with sealed, generated passwords; its images cannot be pulled here", async () => {
    const created = await api("POST", "/api/v1/apps/compose", {
      account: w.a,
      node: node?.id,
      catalog: "wordpress",
    });
    expect(created.status).toBe(201);
    expect(created.body.env).toEqual([
      { key: "WORDPRESS_IMAGE", value: "docker.io/library/wordpress:6-apache", secret: false },
      { key: "MARIADB_IMAGE", value: "docker.io/library/mariadb:11", secret: false },
      { key: "DB_PASSWORD", value: null, secret: true },
      { key: "DB_ROOT_PASSWORD", value: null, secret: true },
    ]);
    // no registry is reachable: the deploy fails with the node's words, never "in progress"
    const task = await settleTask(s, created.body.taskId, 180_000);
    expect(task.state).toBe("failed");
    const failed = await api("GET", `/api/v1/apps/${created.body.id}`);
    expect(failed.body.status).toBe("failed");
    expect(failed.body.lastError).toBeTruthy();
  });
});
