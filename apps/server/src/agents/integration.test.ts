// The whole path, real components only: the panel (in this process, its worker running),
// two agents enrolled with single-use tokens through the public enrollment endpoint, each
// on its own loopback address with its own hermetic nginx, as two nodes. A site created
// through the API is served by its node's nginx; a bad change is rolled back and the old
// site keeps serving, and a failed site is retried; a proxy whose upstream is not up yet is
// active with a warning; suspend, delete; an agent that is down is retried; a revoked node is
// refused at once. Heartbeats and facts come from the real agents.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { loadConfig, startAgent } from "@steward/agent";
import { deleteTestUsers } from "@steward/agent/testing";
import { freePort, httpGet, startNginx } from "@steward/testkit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../testing/real-node.ts";
import { useServer, useWorld } from "../testing/use-server.ts";

type Node = RealNode;

const nginxOk = await startNginx({ listen: "127.0.0.2", start: false })
  .then(async (n) => {
    await n?.stop();
    return n !== null;
  })
  .catch(() => false);

describe.skipIf(!nginxOk)("sites on two real nodes", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  const nodes: Node[] = [];

  async function addNode(address: string, name: string): Promise<Node> {
    const nginx = await startNginx({ listen: address });
    if (!nginx) throw new Error("nginx is missing");
    const node = await enrollRealNode(s, w.keys.super, { name, nginx });
    nodes.push(node);
    return node;
  }

  const settle = (taskId: string, ms?: number) => settleTask(s, taskId, ms);
  const logsOf = (taskId: string) => taskLogText(s, taskId);
  const get = (n: Node, host: string) =>
    httpGet({ address: n.nginx.listen, port: n.nginx.port, host });

  beforeAll(async () => {
    s.svc.engine.startWorker();
    await addNode("127.0.0.2", "web-a");
    await addNode("127.0.0.3", "web-b");
  }, 120_000);
  afterAll(async () => {
    for (const n of nodes) {
      await n.close();
      await n.nginx.stop();
    }
    deleteTestUsers();
  });

  it("enrolls both agents: trusted, with facts", async () => {
    for (const n of nodes) {
      const r = await s.request("GET", `/api/v1/nodes/${n.id}`, { key: w.keys.super });
      expect(r.body.state).toBe("trusted");
    }
    const facts = await s.svc.engine.enqueue({
      kind: "node.facts",
      payload: { nodeId: nodes[0]?.id },
    });
    expect((await settle(facts.task.id)).state).toBe("succeeded");
    const r = await s.request("GET", `/api/v1/nodes/${nodes[0]?.id}`, { key: w.keys.super });
    expect(
      r.body.facts?.services?.find((x: { name: string }) => x.name === "nginx")?.installed,
    ).toBe(true);
  });

  it("serves a site created through the API on its node only", async () => {
    const [a, b] = nodes as [Node, Node];
    const created = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node: a.id, domains: ["shop.example.com"], kind: "static" },
    });
    expect(created.status).toBe(201);
    const task = await settle(created.body.taskId);
    expect(task.state, await logsOf(task.id)).toBe("succeeded");
    const site = await s.request("GET", `/api/v1/sites/${created.body.id}`, { key: w.keys.super });
    expect(site.body.status).toBe("active");
    const page = await get(a, "shop.example.com");
    expect(page.status).toBe(200);
    expect((await get(b, "shop.example.com")).status).toBe(404);
    expect(await logsOf(task.id)).toMatch(/step .*nginx/);
  });

  it("keeps serving the old configuration when a change fails, and says why", async () => {
    const a = nodes[0] as Node;
    const created = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node: a.id, domains: ["app.example.com"], kind: "static" },
    });
    await settle(created.body.taskId);
    const before = readFileSync(
      join(a.nginx.sitesDir, `steward-site-${created.body.id}.conf`),
      "utf8",
    );
    // an upstream that does not resolve on the node: refused before nginx is given anything
    const bad = await s.request("PATCH", `/api/v1/sites/${created.body.id}`, {
      key: w.keys.super,
      body: { kind: "proxy", upstream: "http://no-such-host.invalid:8080" },
    });
    expect(bad.status).toBe(200);
    const task = await settle(bad.body.taskId);
    expect(task.state).toBe("failed");
    expect(task.attempts).toBe(1); // a refused configuration is not retried
    const site = await s.request("GET", `/api/v1/sites/${created.body.id}`, { key: w.keys.super });
    expect(site.body.status).toBe("failed");
    expect(site.body.lastError).toMatch(/no-such-host|host not found|nginx/i);
    const after = readFileSync(
      join(a.nginx.sitesDir, `steward-site-${created.body.id}.conf`),
      "utf8",
    );
    expect(after).toBe(before);
    expect((await get(a, "app.example.com")).status).toBe(200);
  });

  it("refuses a tenant's site for a name another vhost on the node serves, and says why", async () => {
    const a = nodes[0] as Node;
    const listen = `listen ${a.nginx.listen}:${a.nginx.port};`;
    // not Steward's: loads after Steward's files, serves every name under legacy.example
    writeFileSync(
      join(a.nginx.sitesDir, "zz-legacy.conf"),
      `server { ${listen} server_name *.legacy.example; return 200 "legacy"; }\n`,
    );
    await a.nginx.reload();
    const created = await s.request("POST", "/api/v1/sites", {
      key: w.keys.accountAdmin,
      body: { node: a.id, domains: ["shop.legacy.example"], kind: "static", account: w.a },
    });
    expect(created.status).toBe(201);
    const task = await settle(created.body.taskId);
    expect(task.state).toBe("failed");
    expect(task.attempts).toBe(1);
    const site = await s.request("GET", `/api/v1/sites/${created.body.id}`, {
      key: w.keys.accountAdmin,
    });
    expect(site.body.status).toBe("failed");
    expect(site.body.lastError).toBe(
      `shop.legacy.example is already served on this node by ${join(a.nginx.sitesDir, "zz-legacy.conf")} (server_name *.legacy.example): remove the name there first, or choose another (step check that no other server block serves the site's names)`,
    );
    expect((await get(a, "shop.legacy.example")).body).toBe("legacy");
    // the site's failure and its task's are events of account A, to its members only
    const eventsOf = async (key: string) =>
      (await s.request("GET", `/api/v1/events?target=${created.body.id}`, { key })).body.items;
    const failures = await eventsOf(w.keys.accountAdmin);
    expect(failures.map((e: { type: string }) => e.type)).toEqual(["task.failed", "site.failed"]);
    const target = { type: "site", id: created.body.id, name: "shop.legacy.example" };
    expect(failures[1]).toMatchObject({
      severity: "critical",
      outcome: "failure",
      accountId: w.a,
      target,
      groupKey: `node:${a.id}`,
      fields: { domain: "shop.legacy.example", nodeName: "web-a", error: site.body.lastError },
    });
    expect(failures[0]).toMatchObject({
      target,
      fields: { taskId: task.id, kind: "site.apply", attempts: 1 },
    });
    expect(await eventsOf(w.keys.otherAdmin)).toEqual([]);
    const hidden = await s.request("GET", `/api/v1/events/${failures[0].id}`, {
      key: w.keys.otherAdmin,
    });
    expect(hidden.status).toBe(404);
    // once the other vhost gives the name up, Retry applies the site as it stands
    rmSync(join(a.nginx.sitesDir, "zz-legacy.conf"));
    await a.nginx.reload();
    const retried = await s.request("POST", `/api/v1/sites/${created.body.id}/retry`, {
      key: w.keys.accountAdmin,
    });
    expect(retried.status).toBe(200);
    expect((await settle(retried.body.taskId)).state).toBe("succeeded");
    const fixed = await s.request("GET", `/api/v1/sites/${created.body.id}`, {
      key: w.keys.accountAdmin,
    });
    expect(fixed.body).toMatchObject({ status: "active", lastError: null });
    expect((await get(a, "shop.legacy.example")).status).toBe(200);
    // the task of the same kind and target succeeded after one failed for good
    const recovered = await eventsOf(w.keys.accountAdmin);
    expect(recovered.map((e: { type: string }) => e.type)).toEqual([
      "task.recovered",
      "task.failed",
      "site.failed",
    ]);
    expect(recovered[0]).toMatchObject({
      severity: "info",
      outcome: "success",
      target,
      fields: { taskId: retried.body.taskId, kind: "site.apply", failedAttempts: 1 },
    });
  });

  it("retries a removal that failed as a removal, never re-applying the site", async () => {
    const a = nodes[0] as Node;
    const created = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node: a.id, domains: ["leaving.example.com"], kind: "static" },
    });
    expect((await settle(created.body.taskId)).state).toBe("succeeded");
    const url = `/api/v1/sites/${created.body.id}`;
    // another file on the node breaks nginx's configuration: the removal's test step fails
    const broken = join(a.nginx.sitesDir, "zz-broken.conf");
    writeFileSync(broken, "server { this is not nginx }\n");
    try {
      const removed = await s.request("DELETE", url, { key: w.keys.super });
      expect((await settle(removed.body.taskId)).state).toBe("failed");
      const failed = await s.request("GET", url, { key: w.keys.super });
      expect(failed.body.status).toBe("failed");
      // a removal asked for is not undone by an edit
      const edit = await s.request("PATCH", url, { key: w.keys.super, body: { kind: "static" } });
      expect(edit.status).toBe(409);
    } finally {
      rmSync(broken);
    }
    const retried = await s.request("POST", `${url}/retry`, { key: w.keys.super });
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe("deleting");
    expect((await settle(retried.body.taskId)).state).toBe("succeeded");
    expect((await s.request("GET", url, { key: w.keys.super })).status).toBe(404);
    expect((await get(a, "leaving.example.com")).status).not.toBe(200);
  });

  it("applies several sites on one node at once, every task succeeding", async () => {
    const b = nodes[1] as Node;
    const made = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        s.request("POST", "/api/v1/sites", {
          key: w.keys.super,
          body: { node: b.id, domains: [`many${i}.example.org`], kind: "static" },
        }),
      ),
    );
    const tasks = await Promise.all(made.map((m) => settle(m.body.taskId, 60_000)));
    expect(tasks.map((t) => t.state)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    for (const i of [1, 2, 3, 4]) expect((await get(b, `many${i}.example.org`)).status).toBe(200);
  });

  it("proxies only where a super user allowed it, and the node checks again", async () => {
    const a = nodes[0] as Node;
    const up = createServer((req, res) => res.end(`upstream saw ${req.headers.host}`));
    await new Promise<void>((r) => up.listen(0, "127.0.0.1", r));
    try {
      const upstream = `http://127.0.0.1:${(up.address() as AddressInfo).port}`;
      const body = { node: a.id, domains: ["proxied.example.com"], kind: "proxy", upstream };
      const refused = await s.request("POST", "/api/v1/sites", { key: w.keys.super, body });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([
        {
          field: "upstream",
          message: "127.0.0.1 is a loopback address, which this node does not allow",
        },
      ]);
      // only a super user widens what a node's tenants may reach
      const allow = { outbound: { allow: ["127.0.0.0/8"] } };
      const nodeUrl = `/api/v1/nodes/${a.id}`;
      const byAdmin = await s.request("PATCH", nodeUrl, { key: w.keys.accountAdmin, body: allow });
      expect(byAdmin.status).toBe(403);
      const bySuper = await s.request("PATCH", nodeUrl, { key: w.keys.super, body: allow });
      expect(bySuper.status).toBe(200);
      expect(bySuper.body.outbound).toEqual({ allowPrivate: false, allow: ["127.0.0.0/8"] });
      const audit = await s.request("GET", `/api/v1/audit-events?target=${a.id}`, {
        key: w.keys.super,
      });
      expect(audit.body.items.map((e: { action: string }) => e.action)).toContain("node.update");

      const created = await s.request("POST", "/api/v1/sites", { key: w.keys.super, body });
      expect(created.status).toBe(201);
      expect((await settle(created.body.taskId)).state).toBe("succeeded");
      const page = await get(a, "proxied.example.com");
      expect(page.body).toBe("upstream saw proxied.example.com");
      const conf = join(a.nginx.sitesDir, `steward-site-${created.body.id}.conf`);
      const pinned = readFileSync(conf, "utf8");
      expect(pinned).toContain(`server 127.0.0.1:${(up.address() as AddressInfo).port};`);

      // the agent's own address and port stay refused, whatever the node allows
      const agent = await s.request("PATCH", `/api/v1/sites/${created.body.id}`, {
        key: w.keys.super,
        body: { upstream: `http://127.0.0.2:${a.port}` },
      });
      expect(agent.status).toBe(400);
      expect(agent.body.error.message).toBe(
        "upstream: 127.0.0.2 is the agent's own address and port, which are never allowed",
      );
      // the panel's real address only the agent knows (it enrolled with it): refused there,
      // the task fails and the node keeps proxying to the upstream it had
      const panel = await s.request("PATCH", `/api/v1/sites/${created.body.id}`, {
        key: w.keys.super,
        body: { upstream: s.url },
      });
      expect(panel.status).toBe(200);
      expect((await settle(panel.body.taskId)).state).toBe("failed");
      const site = await s.request("GET", `/api/v1/sites/${created.body.id}`, {
        key: w.keys.super,
      });
      expect(site.body).toMatchObject({ status: "failed" });
      expect(site.body.lastError).toContain("127.0.0.1 is the panel's own address and port");
      expect(readFileSync(conf, "utf8")).toBe(pinned);
      expect((await get(a, "proxied.example.com")).body).toBe("upstream saw proxied.example.com");
    } finally {
      await new Promise((r) => up.close(r));
    }
  });

  it("makes a proxy whose upstream does not answer yet active, with a warning until the next apply", async () => {
    const a = nodes[0] as Node; // its outbound policy allows loopback (the test above)
    const port = await freePort();
    const created = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: {
        node: a.id,
        domains: ["soon.example.com"],
        kind: "proxy",
        upstream: `http://127.0.0.1:${port}`,
      },
    });
    expect(created.status).toBe(201);
    expect((await settle(created.body.taskId)).state).toBe("succeeded");
    const url = `/api/v1/sites/${created.body.id}`;
    const warned = await s.request("GET", url, { key: w.keys.super });
    expect(warned.body).toMatchObject({ status: "active", lastError: null });
    expect(warned.body.warning).toBe(
      "http://soon.example.com/ is routed, but its upstream does not answer yet (nginx answers 502): the site serves once the upstream is up",
    );
    expect(await logsOf(created.body.taskId)).toContain("does not answer yet");
    expect((await get(a, "soon.example.com")).status).toBe(502);
    const up = createServer((_req, res) => res.end("up now"));
    await new Promise<void>((r) => up.listen(port, "127.0.0.1", r));
    try {
      const changed = await s.request("PATCH", url, {
        key: w.keys.super,
        body: { aliases: ["www.soon.example.com"] },
      });
      expect((await settle(changed.body.taskId)).state).toBe("succeeded");
      expect((await s.request("GET", url, { key: w.keys.super })).body.warning).toBeNull();
      expect((await get(a, "soon.example.com")).body).toBe("up now");
    } finally {
      await new Promise((r) => up.close(r));
    }
  });

  it("suspends and deletes", async () => {
    const b = nodes[1] as Node;
    const created = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node: b.id, domains: ["blog.example.org"], kind: "static", redirect: "to-www" },
    });
    expect((await settle(created.body.taskId)).state).toBe("succeeded");
    // to-www: the www form is the site, the bare name redirects to it
    const redirect = await get(b, "blog.example.org");
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe("http://www.blog.example.org/");
    expect((await get(b, "www.blog.example.org")).status).toBe(200);
    const sus = await s.request("POST", `/api/v1/sites/${created.body.id}/suspend`, {
      key: w.keys.super,
    });
    expect((await settle(sus.body.taskId)).state).toBe("succeeded");
    expect((await get(b, "www.blog.example.org")).status).toBe(503);
    const del = await s.request("DELETE", `/api/v1/sites/${created.body.id}?keepFiles=false`, {
      key: w.keys.super,
    });
    expect((await settle(del.body.taskId)).state).toBe("succeeded");
    expect(
      (await s.request("GET", `/api/v1/sites/${created.body.id}`, { key: w.keys.super })).status,
    ).toBe(404);
    expect((await get(b, "www.blog.example.org")).status).toBe(404);
  });

  it("retries while an agent is down, then applies when it is back", async () => {
    const b = nodes[1] as Node;
    await b.agent?.close(1000);
    b.agent = null;
    const created = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node: b.id, domains: ["later.example.org"], kind: "static" },
    });
    const end = Date.now() + 20_000;
    let row = await s.svc.db.db
      .selectFrom("tasks")
      .selectAll()
      .where("id", "=", created.body.taskId)
      .executeTakeFirstOrThrow();
    while (!(row.attempts >= 1 && row.state === "queued") && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      row = await s.svc.db.db
        .selectFrom("tasks")
        .selectAll()
        .where("id", "=", created.body.taskId)
        .executeTakeFirstOrThrow();
    }
    expect(row.state).toBe("queued"); // retried later, not failed
    expect(row.last_error).toMatch(/does not answer|is `steward agent` running/);
    b.agent = await startAgent(loadConfig(b.dir), { logger: pino({ level: "silent" }) });
    await s.request("POST", `/api/v1/tasks/${created.body.taskId}/run`, { key: w.keys.super });
    expect((await settle(created.body.taskId)).state).toBe("succeeded");
    expect((await get(b, "later.example.org")).status).toBe(200);
    // a retried attempt is no failure for good, and a success after it no recovery
    const events = await s.request("GET", `/api/v1/events?target=${created.body.id}`, {
      key: w.keys.super,
    });
    expect(events.body.items).toEqual([]);
  });

  it("refuses a revoked node at once", async () => {
    const a = nodes[0] as Node;
    const rev = await s.request("POST", `/api/v1/nodes/${a.id}/revoke`, { key: w.keys.super });
    expect(rev.status).toBe(200);
    const site = await s.svc.db.db
      .selectFrom("sites")
      .select(["id", "task_id"])
      .where("node_id", "=", a.id)
      .executeTakeFirstOrThrow();
    const { task } = await s.svc.engine.enqueue({
      kind: "site.apply",
      payload: { siteId: site.id },
    });
    const done = await settle(task.id);
    expect(done.state).toBe("failed");
    expect(done.last_error).toMatch(/revoked/);
    const create = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node: a.id, domains: ["never.example.com"], kind: "static" },
    });
    expect(create.status).toBe(400);
  });
});
