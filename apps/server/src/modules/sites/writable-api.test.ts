// A PHP site's writable directories through the API on both dialects: `["uploads"]` unless
// asked, the whole list replaced by a PATCH (audited, applied by the site's task), sent to the
// node in the operation's input; refused for other kinds and with hostile names, nothing
// stored (the node side: apps/agent/src/ops/sites/writable.test.ts; more hostile values:
// http/hostile-input.test.ts).
import { DEFAULT_POLICY } from "@steward/contracts/net";
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { findSite } from "./repo.ts";
import { applyInput } from "./rules.ts";

describe.each(dialects())("writable directories of sites on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  let node: string;
  beforeAll(async () => {
    node = await trustedNode(s, "web-writable");
  });
  const agentInput = async (id: string) => {
    const row = await findSite(s.svc.db.db, id);
    // absent: the node's default, uploads/ (what older agents know)
    return row ? (applyInput(row, DEFAULT_POLICY).writableDirs ?? "default") : null;
  };
  const create = (body: Record<string, unknown>, key = w.keys.accountAdmin) =>
    s.request("POST", "/api/v1/sites", {
      key,
      body: { node, account: w.a, https: false, monitor: false, ...body },
    });

  it("gives a PHP site uploads/ unless asked, and sends its list to the node", async () => {
    const plain = await create({ kind: "php", domains: ["wd-plain.example.com"] });
    expect(plain.status).toBe(201);
    expect(plain.body.writableDirs).toEqual(["uploads"]);
    expect(await agentInput(plain.body.id)).toBe("default");
    const wp = await create({
      kind: "php",
      domains: ["wd-wp.example.com"],
      writableDirs: ["wp-content/uploads", "wp-content/cache"],
    });
    expect(wp.status).toBe(201);
    expect(wp.body.writableDirs).toEqual(["wp-content/uploads", "wp-content/cache"]);
    expect(await agentInput(wp.body.id)).toEqual(["wp-content/uploads", "wp-content/cache"]);
    // a static site is stored with the default and asks the node for nothing
    const stat = await create({ kind: "static", domains: ["wd-static.example.com"] });
    expect(await agentInput(stat.body.id)).toBe("default");
    const refused = await create({
      kind: "static",
      domains: ["wd-static2.example.com"],
      writableDirs: ["uploads"],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].field).toBe("body.writableDirs");
  });

  it("replaces the list with a PATCH: audited, applied by the site's task", async () => {
    const made = await create({ kind: "php", domains: ["wd-patch.example.com"] });
    const id = made.body.id as string;
    const patch = (body: unknown, key = w.keys.accountAdmin) =>
      s.request("PATCH", `/api/v1/sites/${id}`, { key, body });
    const changed = await patch({ writableDirs: ["uploads", "sites/default/files"] });
    expect(changed.status).toBe(200);
    expect(changed.body.writableDirs).toEqual(["uploads", "sites/default/files"]);
    const task = await s.svc.db.db
      .selectFrom("tasks")
      .select(["kind", "target_id"])
      .where("id", "=", changed.body.taskId)
      .executeTakeFirst();
    expect(task).toEqual({ kind: "site.apply", target_id: id });
    expect(await agentInput(id)).toEqual(["uploads", "sites/default/files"]);
    const events = await s.svc.db.db
      .selectFrom("audit_events")
      .select(["action", "diff"])
      .where("target_id", "=", id)
      .where("action", "=", "site.update")
      .execute();
    expect(events.map((e) => JSON.parse(String(e.diff)).after)).toContainEqual({
      writableDirs: ["uploads", "sites/default/files"],
    });
    // hostile names, a repeated one, too many, another kind: 400 naming the field, unchanged
    for (const [body, field] of [
      [{ writableDirs: ["../../etc"] }, "body.writableDirs.0"],
      [{ writableDirs: ["uploads", "/etc"] }, "body.writableDirs.1"],
      [{ writableDirs: ["a\nb"] }, "body.writableDirs.0"],
      [{ writableDirs: ["uploads", "uploads"] }, "body.writableDirs"],
      [{ writableDirs: ["uploads", "uploads/cache"] }, "body.writableDirs"],
      [{ writableDirs: Array.from({ length: 21 }, (_, i) => `d${i}`) }, "body.writableDirs"],
      [{ kind: "static", writableDirs: ["uploads"] }, "writableDirs"],
    ] as const) {
      const bad = await patch(body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.details[0].field).toBe(field);
      expect(await agentInput(id)).toEqual(["uploads", "sites/default/files"]);
    }
    // a reader of the account and another account's admin change nothing
    expect((await patch({ writableDirs: ["x"] }, w.keys.reader)).status).toBe(403);
    expect((await patch({ writableDirs: ["x"] }, w.keys.otherAdmin)).status).toBe(404);
    // an empty list: PHP writes nothing of the site but its temp directory
    expect((await patch({ writableDirs: [] })).body.writableDirs).toEqual([]);
  });

  it("adds WordPress's uploads once (a CMS link), never to a site being deleted", async () => {
    const made = await create({ kind: "php", domains: ["wd-link.example.com"] });
    const id = made.body.id as string;
    const add = () => s.svc.sites.addWritableDir(s.cli, id, "wp-content/uploads");
    expect(await add()).toEqual(expect.any(String));
    expect(await agentInput(id)).toEqual(["uploads", "wp-content/uploads"]);
    expect(await add()).toBeNull();
    const stat = await create({ kind: "static", domains: ["wd-link2.example.com"] });
    expect(await s.svc.sites.addWritableDir(s.cli, stat.body.id, "wp-content/uploads")).toBeNull();
    await s.request("DELETE", `/api/v1/sites/${id}`, { key: w.keys.accountAdmin });
    expect(await s.svc.sites.addWritableDir(s.cli, id, "wp-content/cache")).toBeNull();
  });
});
