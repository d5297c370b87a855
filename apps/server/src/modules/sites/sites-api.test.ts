// The sites API on both dialects: a change and its apply task are written together, names
// belong to one site, proxies need an upstream, the default account, access rules. No agent
// runs here (tasks stay queued); the node side is tested in apps/agent and the integration test.
import { DEFAULT_POLICY } from "@steward/contracts/net";
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { deleteSite, findSite } from "./repo.ts";
import { applyInput } from "./rules.ts";

describe.each(dialects())("sites API on %s", (dialect) => {
  // the installation denies one public range (outbound policy)
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_DENY: "93.184.216.0/24" } });
  const w = useWorld(s);
  let node: string;
  beforeAll(async () => {
    node = await trustedNode(s, "web1");
  });

  const tasksOf = (siteId: string) =>
    s.svc.db.db.selectFrom("tasks").selectAll().where("target_id", "=", siteId).execute();

  it("creates a site with its apply task in one go, in the default account", async () => {
    const res = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node, domains: ["Example.COM"], kind: "static" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      domains: ["example.com"],
      kind: "static",
      status: "pending",
      root: "public",
      redirect: "none",
    });
    expect(res.body.taskId).toMatch(/^task_/);
    expect(res.body.systemUser).toMatch(/^s[a-z0-9]{1,23}$/);
    const tasks = await tasksOf(res.body.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      id: res.body.taskId,
      kind: "site.apply",
      state: "queued",
      target_type: "site",
      account_id: res.body.accountId,
      concurrency_key: `site.apply:site:${res.body.id}`,
    });
    const account = await s.svc.db.db
      .selectFrom("accounts")
      .select("slug")
      .where("id", "=", res.body.accountId)
      .executeTakeFirstOrThrow();
    expect(account.slug).toBe("default");
    // the task says what it does, by the site's name, in its detail and in lists
    const task = await s.request("GET", `/api/v1/tasks/${res.body.taskId}`, { key: w.keys.super });
    expect(task.body).toMatchObject({ title: "apply site example.com", targetName: "example.com" });
    const listed = await s.request("GET", `/api/v1/tasks?target=site:${res.body.id}`, {
      key: w.keys.super,
    });
    expect(listed.body.items[0]).toMatchObject({ title: "apply site example.com" });
  });

  it("gives a new site an HTTP monitor of its primary domain unless asked not to, removed with it", async () => {
    const monitorsOf = (siteId: string) =>
      s.svc.db.db.selectFrom("monitors").selectAll().where("site_id", "=", siteId).execute();
    const create = (domain: string, extra: Record<string, unknown> = {}) =>
      s.request("POST", "/api/v1/sites", {
        key: w.keys.accountAdmin,
        body: { node, domains: [domain], kind: "static", account: w.a, ...extra },
      });
    const patch = (id: string, body: Record<string, unknown>) =>
      s.request("PATCH", `/api/v1/sites/${id}`, { key: w.keys.accountAdmin, body });
    const made = await create("watched.example.com");
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const [row] = await monitorsOf(made.body.id);
    const monitor = await s.request("GET", `/api/v1/monitors/${row?.id}`, {
      key: w.keys.reader,
    });
    expect(monitor.body).toMatchObject({
      name: "watched.example.com",
      accountId: w.a,
      kind: "http",
      siteId: made.body.id,
      settings: { kind: "http", url: "http://watched.example.com/", followRedirects: true },
      state: "pending",
    });
    // the primary domain changes: the monitor follows
    await patch(made.body.id, { domains: ["moved.example.com"] });
    expect(
      (await monitorsOf(made.body.id)).map((m) => [m.name, JSON.parse(m.settings).url]),
    ).toEqual([["moved.example.com", "http://moved.example.com/"]]);
    expect((await patch(made.body.id, { monitor: false })).status).toBe(200);
    expect(await monitorsOf(made.body.id)).toEqual([]);
    expect((await patch(made.body.id, { monitor: true })).status).toBe(200);
    expect(await monitorsOf(made.body.id)).toHaveLength(1);
    expect((await patch(made.body.id, { monitor: "yes" })).body.error.details?.[0]?.field).toBe(
      "body.monitor",
    );
    // what the delete task does once the node removed the site: its monitor goes with it
    await deleteSite(s.svc.db.db, made.body.id);
    expect(await monitorsOf(made.body.id)).toEqual([]);
    const optedOut = await create("unwatched.example.com", { monitor: false });
    expect(optedOut.status).toBe(201);
    expect(await monitorsOf(optedOut.body.id)).toEqual([]);
    // a domain longer than a monitor's name may be: the name is its first 100 characters
    const long = `${"a".repeat(60)}.${"b".repeat(60)}.example.com`;
    const named = await create(long);
    expect(named.status, JSON.stringify(named.body)).toBe(201);
    expect((await monitorsOf(named.body.id)).map((m) => m.name)).toEqual([long.slice(0, 100)]);
  });

  it("keeps a name for one site, counting aliases and www counterparts", async () => {
    const a = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: {
        node,
        domains: ["shop.example.org"],
        kind: "static",
        redirect: "to-www",
        account: w.a,
      },
    });
    expect(a.status).toBe(201);
    for (const domains of [["shop.example.org"], ["www.shop.example.org"]]) {
      const dup = await s.request("POST", "/api/v1/sites", {
        key: w.keys.super,
        body: { node, domains, kind: "static" },
      });
      expect(dup.status).toBe(409);
      expect(dup.body.error.details?.[0]?.field ?? dup.body.error.message).toMatch(/domains/);
    }
  });

  it("a taken name tells a tenant nothing about who holds it; its owner sees the site", async () => {
    const create = (key: string, domains: string[], account?: string) =>
      s.request("POST", "/api/v1/sites", {
        key,
        body: { node, domains, kind: "static", ...(account ? { account } : {}) },
      });
    const inA = await create(w.keys.super, ["main-a.example.net", "held-a.example.net"], w.a);
    const inDefault = await create(w.keys.super, ["main-d.example.net", "held-d.example.net"]);
    expect([inA.status, inDefault.status]).toEqual([201, 201]);
    // a tenant of account B: the same answer whichever account holds the name
    const a = await create(w.keys.otherAdmin, ["held-a.example.net"], w.b);
    const d = await create(w.keys.otherAdmin, ["held-d.example.net"], w.b);
    expect([a.status, d.status]).toEqual([409, 409]);
    expect(a.body.error.message).toBe("held-a.example.net is not available: choose another name");
    expect(d.body.error.message).toBe("held-d.example.net is not available: choose another name");
    expect(a.body.error.details).toEqual([{ field: "domains", message: a.body.error.message }]);
    // and the same on a change of one of its own sites
    const own = await create(w.keys.otherAdmin, ["own-b.example.net"], w.b);
    const patch = await s.request("PATCH", `/api/v1/sites/${own.body.id}`, {
      key: w.keys.otherAdmin,
      body: { aliases: ["held-a.example.net"] },
    });
    expect(patch.status).toBe(409);
    expect(patch.body.error.message).toBe(a.body.error.message);
    // who may see the holding site is told which it is
    for (const key of [w.keys.accountAdmin, w.keys.super]) {
      const mine = await create(key, ["held-a.example.net"], w.a);
      expect(mine.status).toBe(409);
      expect(mine.body.error.message).toBe(
        `held-a.example.net is already used by site main-a.example.net (${inA.body.id}): choose another name`,
      );
    }
  });

  it("needs an upstream for proxies and refuses one elsewhere", async () => {
    const none = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node, domains: ["app.example.net"], kind: "proxy" },
    });
    expect(none.status).toBe(400);
    const ok = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: {
        node,
        domains: ["app.example.net"],
        kind: "proxy",
        upstream: "http://93.184.215.14:3000",
      },
    });
    expect(ok.status).toBe(201);
    const toStatic = await s.request("PATCH", `/api/v1/sites/${ok.body.id}`, {
      key: w.keys.super,
      body: { kind: "static" },
    });
    expect(toStatic.status).toBe(400);
    expect(toStatic.body.error.details[0].field).toBe("upstream");
  });

  it("refuses upstreams the node's outbound policy refuses, until a super user allows them", async () => {
    const proxy = (upstream: string, domain: string) =>
      s.request("POST", "/api/v1/sites", {
        key: w.keys.accountAdmin,
        body: { node, domains: [domain], kind: "proxy", upstream, account: w.a },
      });
    const count = async () => (await s.svc.db.db.selectFrom("sites").select("id").execute()).length;
    const before = await count();
    for (const [upstream, message] of [
      ["http://10.1.2.3:8080", "10.1.2.3 is a private address, which this node does not allow"],
      [
        "http://localhost:3000",
        "localhost resolves to 127.0.0.1, a loopback address, which this node does not allow",
      ],
      [
        "http://93.184.216.34:80",
        "93.184.216.34 is in 93.184.216.0/24, which this installation denies",
      ],
      // the node's agent (https://127.0.0.1:7443), even once loopback is allowed below
      [
        "http://127.0.0.1:7443",
        "127.0.0.1 is the agent's own address and port, which are never allowed",
      ],
    ]) {
      const r = await proxy(upstream as string, "private.example.com");
      expect(r.status).toBe(400);
      expect(r.body.error.details).toEqual([{ field: "upstream", message }]);
    }
    expect(await count()).toBe(before);

    // widening a node is for super users only, and audited
    const body = {
      outbound: { allowPrivate: true, allow: ["127.0.0.0/8", "::1", "93.184.216.34"] },
    };
    const denied = await s.request("PATCH", `/api/v1/nodes/${node}`, {
      key: w.keys.accountAdmin,
      body,
    });
    expect(denied.status).toBe(403);
    const patched = await s.request("PATCH", `/api/v1/nodes/${node}`, { key: w.keys.super, body });
    expect(patched.status).toBe(200);
    expect(patched.body.outbound).toEqual({
      allowPrivate: true,
      allow: ["127.0.0.0/8", "::1/128", "93.184.216.34/32"],
    });
    const events = await s.svc.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "node.update")
      .where("target_id", "=", node)
      .where("outcome", "=", "success")
      .execute();
    expect(events).toHaveLength(1);

    expect((await proxy("http://10.1.2.3:8080", "private.example.com")).status).toBe(201);
    // localhost is 127.0.0.1 and ::1: both must be allowed
    expect((await proxy("http://localhost:3000", "local.example.com")).status).toBe(201);
    // the installation's deny list still wins over the node's allow list
    const still = await proxy("http://93.184.216.34:80", "denied.example.com");
    expect(still.body.error?.details?.[0]?.message).toContain("which this installation denies");
    const agent = await proxy("http://127.0.0.1:7443", "agent.example.com");
    expect(agent.body.error?.details?.[0]?.message).toBe(
      "127.0.0.1 is the agent's own address and port, which are never allowed",
    );
    // a PATCH is checked the same way
    const made = await proxy("http://10.1.2.4:8080", "patched.example.com");
    const moved = await s.request("PATCH", `/api/v1/sites/${made.body.id}`, {
      key: w.keys.accountAdmin,
      body: { upstream: "http://169.254.169.254:80" },
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error.message).toBe(
      "upstream: 169.254.169.254 is a link-local address, which this node does not allow",
    );
    await s.request("PATCH", `/api/v1/nodes/${node}`, {
      key: w.keys.super,
      body: { outbound: { allowPrivate: false, allow: [] } },
    });
  });

  it("changes, suspends, resumes and deletes through tasks, one per change", async () => {
    const c = await s.request("POST", "/api/v1/sites", {
      key: w.keys.accountAdmin,
      body: { node, domains: ["change.example.com"], kind: "static", account: w.a },
    });
    expect(c.status).toBe(201);
    const id = c.body.id;
    const p = await s.request("PATCH", `/api/v1/sites/${id}`, {
      key: w.keys.accountAdmin,
      body: { aliases: ["old-change.example.com"] },
    });
    expect(p.status).toBe(200);
    expect(p.body.aliases).toEqual(["old-change.example.com"]);
    const sus = await s.request("POST", `/api/v1/sites/${id}/suspend`, {
      key: w.keys.accountAdmin,
    });
    expect(sus.body.status).toBe("suspended");
    const res = await s.request("POST", `/api/v1/sites/${id}/resume`, { key: w.keys.accountAdmin });
    expect(res.body).toMatchObject({ status: "pending", suspended: false });
    const del = await s.request("DELETE", `/api/v1/sites/${id}?keepFiles=false`, {
      key: w.keys.accountAdmin,
    });
    expect(del.status).toBe(202);
    expect(del.body.status).toBe("deleting");
    // the task now removes the site, and says so (its row is "deleting" and points at it)
    const task = await s.request("GET", `/api/v1/tasks/${del.body.taskId}`, { key: w.keys.super });
    expect(task.body.title).toBe("delete site change.example.com");
    const kinds = (await tasksOf(id)).map((t) => t.kind);
    // one kind for every change, and a change while a task still waits reuses it (it applies
    // the latest row): one task at a time per site, none piling up
    expect(kinds).toEqual(["site.apply"]);
    expect(del.body.taskId).toBe(c.body.taskId);
    const row = await s.svc.db.db
      .selectFrom("sites")
      .select(["status", "keep_files"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "deleting", keep_files: 0 });
    const again = await s.request("PATCH", `/api/v1/sites/${id}`, {
      key: w.keys.accountAdmin,
      body: { aliases: [] },
    });
    expect(again.status).toBe(409);
  });

  it("lets a PHP site allow process execution, off unless asked, and sends it to the node", async () => {
    const agentInput = async (id: string) => {
      const row = await findSite(s.svc.db.db, id);
      return row ? applyInput(row, DEFAULT_POLICY).phpAllowExec : null;
    };
    const off = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node, domains: ["php-off.example.com"], kind: "php" },
    });
    expect(off.body.phpAllowExec).toBe(false);
    expect(await agentInput(off.body.id)).toBe(false);
    const on = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node, domains: ["php-on.example.com"], kind: "php", phpAllowExec: true },
    });
    expect(on.status).toBe(201);
    expect(on.body.phpAllowExec).toBe(true);
    expect(await agentInput(on.body.id)).toBe(true);
    const bad = await s.request("PATCH", `/api/v1/sites/${on.body.id}`, {
      key: w.keys.super,
      body: { phpAllowExec: "yes" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe("body.phpAllowExec");
    expect(await agentInput(on.body.id)).toBe(true);
    const back = await s.request("PATCH", `/api/v1/sites/${on.body.id}`, {
      key: w.keys.super,
      body: { phpAllowExec: false },
    });
    expect(back.body.phpAllowExec).toBe(false);
    expect(await agentInput(on.body.id)).toBe(false);
  });

  it("follows the access rules", async () => {
    const c = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node, domains: ["access.example.com"], kind: "static", account: w.a },
    });
    const id = c.body.id;
    expect((await s.request("GET", `/api/v1/sites/${id}`, { key: w.keys.reader })).status).toBe(
      200,
    );
    expect((await s.request("GET", `/api/v1/sites/${id}`, { key: w.keys.noGrant })).status).toBe(
      404,
    );
    expect((await s.request("GET", `/api/v1/sites/${id}`, { key: w.keys.otherAdmin })).status).toBe(
      404,
    );
    const byReader = await s.request("POST", `/api/v1/sites/${id}/suspend`, { key: w.keys.reader });
    expect(byReader.status).toBe(403);
    const inB = await s.request("POST", "/api/v1/sites", {
      key: w.keys.accountAdmin,
      body: { node, domains: ["b.example.com"], kind: "static", account: w.b },
    });
    expect(inB.status).toBe(403);
    const list = await s.request("GET", "/api/v1/sites?limit=200", { key: w.keys.otherAdmin });
    expect(list.body.items.map((x: { accountId: string }) => x.accountId)).not.toContain(w.a);
  });

  it("retries a failed site only, for its admins; hostile ids are refused naming the field", async () => {
    const c = await s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node, domains: ["retry.example.com"], kind: "static", account: w.a },
    });
    expect(c.body.warning).toBeNull();
    const url = `/api/v1/sites/${c.body.id}/retry`;
    const notFailed = await s.request("POST", url, { key: w.keys.accountAdmin });
    expect([notFailed.status, notFailed.body.error.details[0].field]).toEqual([409, "status"]);
    await s.svc.db.db
      .updateTable("sites")
      .set({ status: "failed", last_error: "nginx said no" })
      .where("id", "=", c.body.id)
      .execute();
    expect((await s.request("POST", url, { key: w.keys.reader })).status).toBe(403);
    expect((await s.request("POST", url, { key: w.keys.otherAdmin })).status).toBe(404);
    const retried = await s.request("POST", url, { key: w.keys.accountAdmin });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: "pending", taskId: c.body.taskId });
    const [event] = await s.svc.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "site.retry")
      .where("target_id", "=", c.body.id)
      .where("outcome", "=", "success")
      .execute();
    expect(JSON.parse(event?.diff ?? "{}")).toEqual({ retry: { lastError: "nginx said no" } });
    const hostile = await s.request(
      "POST",
      `/api/v1/sites/${encodeURIComponent("x' or 1=1;--")}/retry`,
      { key: w.keys.super },
    );
    expect([hostile.status, hostile.body.error.details[0].field]).toEqual([400, "params.id"]);
  });

  it("offers who may create sites the usable nodes to place them on, by name; nobody else", async () => {
    const pending = await s.svc.nodes.create(s.cli, {
      name: "not-yet",
      agentUrl: "https://10.0.0.9:7443",
    });
    const byAdmin = await s.request("GET", "/api/v1/sites/placements", {
      key: w.keys.accountAdmin,
    });
    expect(byAdmin.status).toBe(200);
    const ids = byAdmin.body.items.map((x: { id: string }) => x.id);
    expect(ids).toContain(node);
    expect(ids).not.toContain(pending.id);
    expect(byAdmin.body.items.find((x: { id: string }) => x.id === node)).toEqual({
      id: node,
      name: "web1",
    });
    for (const who of ["reader", "noGrant", "operator"] as const) {
      const r = await s.request("GET", "/api/v1/sites/placements", { key: w.keys[who] });
      expect([who, r.status, r.body.items]).toEqual([who, 200, []]);
    }
  });

  it("refuses revoked and unknown nodes", async () => {
    const revoked = await trustedNode(s, "gone");
    await s.svc.db.db
      .updateTable("nodes")
      .set({ state: "revoked" })
      .where("id", "=", revoked)
      .execute();
    for (const n of [revoked, "node_missing"]) {
      const r = await s.request("POST", "/api/v1/sites", {
        key: w.keys.super,
        body: { node: n, domains: [`${n.replace(/_/g, "-")}.example.com`], kind: "static" },
      });
      expect(r.status).toBe(400);
      expect(r.body.error.details[0].field).toBe("node");
    }
  });
});
