// A site's directory protection and PHP settings through the API on both dialects: passwords
// are stored as bcrypt hashes only (never answered, never audited), a user named without a
// password keeps theirs, each change bumps the site and enqueues its apply, and the node's
// operation input carries them (the node side: apps/agent/src/ops/sites/protect.test.ts).
import { DEFAULT_POLICY } from "@steward/contracts/net";
import { dialects } from "@steward/testkit";
import bcrypt from "bcryptjs";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { findSite } from "./repo.ts";
import { applyInput } from "./rules.ts";
import { phpSettingsOf, protectionOf } from "./settings-repo.ts";

describe.each(dialects())("site protection and PHP settings on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  let node: string;
  beforeAll(async () => {
    node = await trustedNode(s, "web-settings");
  });
  const create = async (kind: "static" | "php" | "proxy", name: string) => {
    const res = await s.request("POST", "/api/v1/sites", {
      key: w.keys.accountAdmin,
      body: {
        node,
        account: w.a,
        kind,
        domains: [`${name}.example.com`],
        ...(kind === "proxy" ? { upstream: "http://93.184.216.34:8080" } : {}),
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const put = (id: string, what: "protection" | "php", body: unknown) =>
    s.request("PUT", `/api/v1/sites/${id}/${what}`, { key: w.keys.accountAdmin, body });

  it("stores bcrypt hashes only, answers names, keeps a password not given again", async () => {
    const id = await create("php", "protected");
    const first = await put(id, "protection", {
      paths: [
        {
          path: "/admin",
          users: [
            { name: "alice", password: "alice-password-1" },
            { name: "bob", password: "bob-password-22" },
          ],
        },
      ],
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({
      paths: [{ path: "/admin", users: ["alice", "bob"] }],
      taskId: expect.stringMatching(/^task_/),
    });
    const stored = await protectionOf(s.svc.db.db, id);
    const alice = stored[0]?.users[0]?.hash ?? "";
    expect(alice).toMatch(/^\$2b\$10\$/);
    expect(await bcrypt.compare("alice-password-1", alice)).toBe(true);
    const got = await s.request("GET", `/api/v1/sites/${id}/protection`, { key: w.keys.reader });
    expect(got.body).toEqual({ paths: [{ path: "/admin", users: ["alice", "bob"] }] });
    expect(JSON.stringify(got.body)).not.toContain("$2b$");

    // alice keeps her password; bob gets a new one; carol is new and must have one
    const refused = await put(id, "protection", {
      paths: [{ path: "/admin", users: [{ name: "alice" }, { name: "carol" }] }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].field).toBe("paths.0.users.1.password");
    expect(await protectionOf(s.svc.db.db, id)).toEqual(stored);
    const second = await put(id, "protection", {
      paths: [
        {
          path: "/admin",
          users: [{ name: "alice" }, { name: "bob", password: "bob-new-password" }],
        },
        { path: "/stats/", users: [{ name: "carol", password: "carol-password" }] },
      ],
    });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    const after = await protectionOf(s.svc.db.db, id);
    expect(after[0]?.users[0]?.hash).toBe(alice);
    expect(await bcrypt.compare("bob-new-password", after[0]?.users[1]?.hash ?? "")).toBe(true);
    expect(after.map((p) => p.path)).toEqual(["/admin", "/stats/"]);

    // the site's next apply sends them; the audit log has names, never a password or hash
    const row = await findSite(s.svc.db.db, id);
    expect(row?.desired_version).toBe(3);
    expect(row?.task_id).toBe(second.body.taskId);
    const input = applyInput(row as NonNullable<typeof row>, DEFAULT_POLICY, false, {
      protection: after,
      php: {},
    });
    expect(input.protection).toEqual(after);
    const audit = await s.svc.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "site.protection")
      .where("target_id", "=", id)
      .execute();
    expect(audit).toHaveLength(2);
    const text = JSON.stringify(audit);
    expect(text).toContain("carol");
    expect(text).not.toMatch(/password-|\$2b\$/);

    // an empty list takes the protection away
    expect((await put(id, "protection", { paths: [] })).status).toBe(200);
    expect(await protectionOf(s.svc.db.db, id)).toEqual([]);
  });

  it("refuses protection on a proxy site and PHP settings on a site without PHP", async () => {
    const proxy = await create("proxy", "proxied");
    const p = await put(proxy, "protection", {
      paths: [{ path: "/x", users: [{ name: "a", password: "long-password-1" }] }],
    });
    expect(p.status).toBe(400);
    expect(p.body.error.details[0].field).toBe("paths");
    const stat = await create("static", "plain");
    const php = await put(stat, "php", { settings: { memory_limit: "256M" } });
    expect(php.status).toBe(400);
    expect(php.body.error.details[0].field).toBe("kind");
    expect(await phpSettingsOf(s.svc.db.db, stat)).toEqual({});
  });

  it("stores a PHP site's php.ini values and sends them to the node", async () => {
    const id = await create("php", "tuned");
    const settings = {
      memory_limit: "256M",
      upload_max_filesize: "64M",
      post_max_size: "65M",
      max_execution_time: 120,
      display_errors: false,
      "date.timezone": "America/Argentina/Buenos_Aires",
    };
    const res = await put(id, "php", { settings });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.settings).toEqual(settings);
    const got = await s.request("GET", `/api/v1/sites/${id}/php`, { key: w.keys.reader });
    expect(got.body).toEqual({ settings });
    const row = await findSite(s.svc.db.db, id);
    const input = applyInput(row as NonNullable<typeof row>, DEFAULT_POLICY, false, {
      protection: [],
      php: await phpSettingsOf(s.svc.db.db, id),
    });
    expect(input.php).toEqual(settings);
    // a site that stops being PHP keeps its values without sending them
    const asStatic = applyInput(
      { ...(row as NonNullable<typeof row>), kind: "static" },
      DEFAULT_POLICY,
      false,
      {
        protection: [],
        php: settings,
      },
    );
    expect(asStatic.php).toEqual({});
  });
});
