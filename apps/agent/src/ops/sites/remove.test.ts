// site.remove, and two nodes (two nginx instances on 127.0.0.2 and 127.0.0.3), one of
// which the agent has to start itself.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type NginxServer, startNginx, startPhpFpm } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { deleteTestUsers, type TestNode, testNode, testUser } from "../../testing/node.ts";

const nginx = await startNginx({ listen: "127.0.0.2" });
const php = nginx ? await startPhpFpm() : null;
const other = nginx ? await startNginx({ listen: "127.0.0.3", start: false }) : null;
const node = nginx ? testNode(nginx, php) : null;
const node2 = other ? testNode(other, null) : null;

afterAll(async () => {
  for (const s of [nginx, other, php]) await s?.stop();
  node?.cleanup();
  node2?.cleanup();
  deleteTestUsers();
});

describe.skipIf(!node)("site.remove", () => {
  const n = node as TestNode;
  const conf = (id: string) => join(n.nginx.sitesDir, `steward-site-${id}.conf`);

  it("keeps the files by default; the name no longer answers; a second remove changes nothing", async () => {
    const user = testUser();
    const site = { id: "rm1", domains: ["rm1.test"], aliases: ["old-rm1.test"], user };
    expect((await n.apply(site)).error).toBeUndefined();
    expect((await n.nginx.request("old-rm1.test")).status).toBe(301);

    const r = await n.remove({ id: "rm1", user });
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ status: "ok", changed: true });
    expect(r.steps.map((s) => s.name)).toContain(
      "verify: rm1.test no longer answers as the site (2 checks)",
    );
    expect(existsSync(conf("rm1"))).toBe(false);
    expect(existsSync(join(n.config.sitesRoot, "rm1", "public", "index.html"))).toBe(true);
    expect((await n.nginx.request("rm1.test")).status).toBe(404);
    expect((await n.nginx.request("old-rm1.test")).status).toBe(404);

    const again = await n.remove({ id: "rm1", user });
    expect(again).toMatchObject({ status: "ok", changed: false });
  });

  it.skipIf(!php)("deletes the home and logs of a PHP site, and its pool", async () => {
    const user = testUser();
    expect((await n.apply({ id: "rm2", kind: "php", domains: ["rm2.test"], user })).status).toBe(
      "ok",
    );
    const pool = join(n.config.phpFpm.poolDir, "steward-site-rm2.conf");
    expect(existsSync(pool)).toBe(true);
    const r = await n.remove({ id: "rm2", user, keepFiles: false });
    expect(r.error).toBeUndefined();
    expect(r.steps.map((s) => s.name)).toContain("reload php-fpm (SIGUSR2)");
    expect(existsSync(pool)).toBe(false);
    expect(existsSync(join(n.config.sitesRoot, "rm2"))).toBe(false);
    expect(existsSync(join(n.config.logDir, "sites", "rm2"))).toBe(false);
    expect((await n.nginx.request("rm2.test")).status).toBe(404);
  });

  it("refuses to delete a home that belongs to another user, and changes nothing", async () => {
    const user = testUser();
    expect((await n.apply({ id: "rm3", domains: ["rm3.test"], user })).status).toBe("ok");
    const r = await n.remove({ id: "rm3", user: "nobody", keepFiles: false });
    expect(r).toMatchObject({ status: "failed", error: { code: "NOT_OWNER" } });
    expect(existsSync(conf("rm3"))).toBe(true);
    expect((await n.nginx.request("rm3.test")).status).toBe(200);
  });
});

describe.skipIf(!node2)("two nodes", () => {
  const a = node as TestNode;
  const b = node2 as TestNode;

  it("each serves its own sites; the agent starts a stopped nginx", async () => {
    expect((b.nginx as NginxServer).pid()).toBeNull();
    // one machine plays both nodes: /etc/passwd is shared, so each gets its own user
    const ra = await a.apply({ id: "both", domains: ["a-both.test"], user: testUser() });
    const rb = await b.apply({ id: "both", domains: ["b-both.test"], user: testUser() });
    expect(ra.error).toBeUndefined();
    expect(rb.error).toBeUndefined();
    expect(rb.steps.map((s) => s.name)).toContain("start nginx");
    expect(b.nginx.pid()).not.toBeNull();
    expect((await a.nginx.request("a-both.test")).status).toBe(200);
    expect((await a.nginx.request("b-both.test")).status).toBe(404);
    expect((await b.nginx.request("b-both.test")).status).toBe(200);
    expect((await b.nginx.request("a-both.test")).status).toBe(404);
  });
});
