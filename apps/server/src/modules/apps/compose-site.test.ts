// A compose stack served through a site (docs/apps.md, "Ingress through a site"): the panel
// with its worker, an agent with a hermetic nginx and a hermetic Podman. A stack created with a
// domain gets a proxy site to its web service's published port and serves through it; a new
// file publishing another port switches the site; another account's site may not point at the
// stack's port; a file, service or domain the site cannot use is refused naming the field,
// creating or changing nothing.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUSYBOX_IMAGE, freePort, HTTPD_IMAGE, startNginx, startPodman } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const DOMAIN = "stack.apps.test";
const [podman, nginx] = await Promise.all([startPodman(), startNginx({ listen: "127.0.0.9" })]);
const appsRoot = await mkdtemp(join(tmpdir(), "steward-compose-site-"));
const [portOne, portTwo] = [await freePort(), await freePort()];

const stack = (page: string, port: number | null) => `
services:
  web:
    image: ${HTTPD_IMAGE}
    command: ["sh", "-c", "mkdir -p /www && echo ${page} > /www/index.html && exec httpd -f -p 8080 -h /www"]
${port === null ? "" : `    ports: ["${port}:8080"]\n`}    stop_signal: SIGKILL
  worker:
    image: ${BUSYBOX_IMAGE}
    command: ["sh", "-c", "exec sleep 1000"]
    stop_signal: SIGKILL
`;

describe.skipIf(!podman || !nginx)("a compose stack served through a site", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode | null = null;
  let appId = "";
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 180_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  const site = async () => (await nginx?.request(DOMAIN, "/"))?.body ?? "";
  const create = (extra: Record<string, unknown>) => ({
    account: w.a,
    node: node?.id ?? "",
    name: "shop",
    compose: stack("version one", portOne),
    ...extra,
  });

  beforeAll(async () => {
    s.svc.engine.startWorker();
    if (!nginx) return;
    node = await enrollRealNode(s, w.keys.super, {
      name: "compose-site-node",
      nginx,
      agentJson: { containers: { engine: "podman", socket: podman?.socket, appsRoot } },
    });
  }, 180_000);
  afterAll(async () => {
    if (appId) {
      const removed = await api("DELETE", `/api/v1/apps/${appId}?volumes=true`);
      if (removed.body?.taskId) await settleTask(s, removed.body.taskId, 120_000);
    }
    await node?.close();
    await Promise.all([podman?.stop(), nginx?.stop()]);
    await rm(appsRoot, { recursive: true, force: true });
  }, 120_000);

  it("refuses a domain the stack cannot serve, naming the field, creating nothing", async () => {
    const count = async () =>
      (await api("GET", `/api/v1/apps?account=${w.a}`)).body.items.length as number;
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ domain: DOMAIN, compose: stack("x", null) }, "domain"],
      [{ domain: DOMAIN, ingressService: "worker" }, "ingressService"],
      [{ domain: DOMAIN, ingressService: "nosuch" }, "ingressService"],
      [{ ingressService: "web" }, "ingressService"],
      [{ domain: DOMAIN, ingressService: "web; rm -rf /" }, "ingressService"],
      [{ domain: "stack.apps.test;reboot" }, "domain"],
      [{ domain: "../../etc" }, "domain"],
      [{ domain: `${"a".repeat(250)}.test` }, "domain"],
    ];
    for (const [extra, field] of cases) {
      const r = await api("POST", "/api/v1/apps/compose", create(extra));
      expect(r.status, JSON.stringify(extra)).toBe(400);
      const fields = r.body.error.details.map((d: { field: string }) => d.field) as string[];
      expect(
        fields.some((f) => f === field || f === `body.${field}`),
        JSON.stringify(r.body),
      ).toBe(true);
    }
    expect(await count()).toBe(before);
    expect((await api("GET", "/api/v1/sites")).body.items).toEqual([]);
  });

  it("makes a proxy site to the web service's published port and serves through it", async () => {
    const res = await api("POST", "/api/v1/apps/compose", create({ domain: DOMAIN }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ source: "compose", domain: DOMAIN });
    expect(res.body.compose.ingressService).toBe("web");
    appId = res.body.id;
    await settled(res.body.taskId);
    const app = (await api("GET", `/api/v1/apps/${appId}`, undefined, w.keys.reader)).body;
    expect(app.status).toBe("running");
    expect(app.siteId).toMatch(/^site_/);
    const siteRow = (await api("GET", `/api/v1/sites/${app.siteId}`)).body;
    expect(siteRow).toMatchObject({ kind: "proxy", upstream: `http://127.0.0.1:${portOne}` });
    expect(await site()).toBe("version one\n");
    expect(await taskLogText(s, res.body.taskId)).toContain(`the site ${DOMAIN} serves`);
  }, 240_000);

  it("switches the site when a new file publishes another port", async () => {
    const r = await api("PUT", `/api/v1/apps/${appId}/compose`, {
      compose: stack("version two", portTwo),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    await settled(r.body.taskId);
    const app = (await api("GET", `/api/v1/apps/${appId}`)).body;
    expect(app.status, app.lastError).toBe("running");
    const siteRow = (await api("GET", `/api/v1/sites/${app.siteId}`)).body;
    expect(siteRow.upstream).toBe(`http://127.0.0.1:${portTwo}`);
    expect(await site()).toBe("version two\n");
  }, 240_000);

  it("refuses a file whose services publish no TCP port, changing nothing", async () => {
    const before = (await api("GET", `/api/v1/apps/${appId}`)).body;
    const r = await api("PUT", `/api/v1/apps/${appId}/compose`, { compose: stack("x", null) });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].field).toBe("compose");
    const after = (await api("GET", `/api/v1/apps/${appId}`)).body;
    expect(after.compose.file).toBe(before.compose.file);
    expect(after.deployments.length).toBe(before.deployments.length);
  });

  it("lets no other account's site point at the stack's port", async () => {
    const other = await api(
      "POST",
      "/api/v1/sites",
      {
        node: node?.id,
        account: w.b,
        kind: "proxy",
        domains: ["evil.apps.test"],
        upstream: `http://127.0.0.1:${portTwo}`,
      },
      w.keys.otherAdmin,
    );
    expect(other.status).toBe(400);
    expect(other.body.error.details[0].field).toBe("upstream");
  });
});
