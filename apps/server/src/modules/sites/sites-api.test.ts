// The sites API on both dialects: a change and its apply task are written together, names
// belong to one site, proxies need an upstream, the default account, access rules. No agent
// runs here (tasks stay queued); the node side is tested in apps/agent and the integration test.
import { dialects } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorld, type World } from "../../testing/fixtures.ts";
import { startTestServer, type TestServer } from "../../testing/harness.ts";
import { trustedNode } from "../../testing/trusted-node.ts";

describe.each(dialects())("sites API on %s", (dialect) => {
  let s: TestServer;
  let w: World;
  let node: string;
  beforeAll(async () => {
    s = await startTestServer(dialect);
    w = await buildWorld(s);
    node = await trustedNode(s, "web1");
  });
  afterAll(() => s?.close());

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
        upstream: "http://127.0.0.1:3000",
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
