// Fault injection: a site.apply that fails in test, activate or verify leaves the previous
// configuration byte for byte and the previous site serving. A proxy whose upstream does not
// answer yet is no failure: nginx's own 502 for the new vhost proves it routes.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSiteNode, type TestNode, testUser } from "../../testing/node.ts";

const { php, node, stop } = await startSiteNode({ php: true });
/** the upstreams here listen on loopback, which the outbound policy allows only when asked */
const LOOPBACK = { allowPrivate: false, allow: ["127.0.0.0/8"], deny: [], endpoints: [] };

afterAll(stop);

describe.skipIf(!node)("site.apply rolls back", () => {
  const n = node as TestNode;
  const user = testUser();
  const site = { id: "keep1", domains: ["keep1.test"], user };
  const confFile = () => join(n.nginx.sitesDir, "steward-site-keep1.conf");
  let before: Buffer;

  beforeAll(async () => {
    const r = await n.apply(site);
    expect(r.error).toBeUndefined();
    before = readFileSync(confFile());
  });

  const unchanged = async () => {
    expect(readFileSync(confFile())).toEqual(before);
    const page = await n.nginx.request("keep1.test");
    expect(page.status).toBe(200);
    expect(page.body).toContain("keep1.test");
  };

  it("when nginx -t refuses the new configuration (another file on the node is broken)", async () => {
    const broken = join(n.nginx.sitesDir, "zz-broken.conf");
    writeFileSync(broken, "this is not nginx;\n");
    try {
      const r = await n.apply({ ...site, domains: ["keep1.test", "more.test"] });
      expect(r).toMatchObject({
        status: "failed",
        changed: false,
        error: { code: "COMMAND_FAILED" },
      });
      expect(r.error?.message).toContain("test nginx configuration failed");
    } finally {
      rmSync(broken);
    }
    await unchanged();
  });

  it("when nginx -t cannot run (nginx.bin points at /bin/false)", async () => {
    const config = { ...n.config, nginx: { ...n.config.nginx, bin: "/bin/false" } };
    const { siteApply } = await import("./apply.ts");
    const r = await n.run(
      siteApply,
      { ...site, ...defaults, domains: ["keep1.test", "more.test"] },
      config,
    );
    expect(r).toMatchObject({ status: "failed", changed: false });
    await unchanged();
  });

  it("when the reload fails (systemd with systemctl set to /bin/false)", async () => {
    const config = { ...n.config, systemd: true, systemctl: "/bin/false" };
    const { siteApply } = await import("./apply.ts");
    const r = await n.run(
      siteApply,
      { ...site, ...defaults, domains: ["keep1.test", "more.test"] },
      config,
    );
    expect(r).toMatchObject({
      status: "rolled_back",
      changed: false,
      error: { code: "COMMAND_FAILED" },
    });
    expect(r.error?.message).toContain("start nginx failed");
    await unchanged();
  });

  it("not for a proxy whose upstream does not answer yet: it goes active with a warning (nginx's own 502 proves the vhost routes)", async () => {
    const port = await freePort();
    const r = await n.apply({
      id: "warn1",
      kind: "proxy",
      domains: ["warn1.test"],
      upstream: `http://127.0.0.1:${port}`,
      outbound: LOOPBACK,
      user: testUser(),
    });
    expect(r).toMatchObject({ status: "ok", changed: true });
    const warnings = (r.output as { warnings?: string[] }).warnings;
    expect(warnings).toEqual([
      "http://warn1.test/ is routed, but its upstream does not answer yet (nginx answers 502): the site serves once the upstream is up",
    ]);
    expect(existsSync(join(n.nginx.sitesDir, "steward-site-warn1.conf"))).toBe(true);
    expect((await n.nginx.request("warn1.test")).status).toBe(502);
  });

  it.skipIf(!php)(
    "a new site that fails verify leaves no trace: no file, no home, no user",
    async () => {
      const fresh = testUser();
      // the new pool's socket cannot be bound: PHP-FPM's reload fails, verify with it
      const config = { ...n.config, phpFpm: { ...n.config.phpFpm, socketDir: "/nonexistent/run" } };
      const { siteApply } = await import("./apply.ts");
      const r = await n.run(
        siteApply,
        { ...defaults, id: "gone1", kind: "php", domains: ["gone1.test"], user: fresh },
        config,
      );
      expect(r).toMatchObject({ status: "rolled_back", error: { code: "VERIFY_FAILED" } });
      expect(existsSync(join(n.nginx.sitesDir, "steward-site-gone1.conf"))).toBe(false);
      expect(existsSync(join(n.config.sitesRoot, "gone1"))).toBe(false);
      expect(readFileSync("/etc/passwd", "utf8")).not.toContain(`${fresh}:`);
      expect((await n.nginx.request("gone1.test")).status).toBe(404);
    },
  );

  it.skipIf(!php)(
    "a PHP-FPM reload that kills php-fpm: the old pool is back and php-fpm runs again",
    async () => {
      const phpSite = {
        id: "php2",
        kind: "php" as const,
        domains: ["php2.test"],
        user: testUser(),
      };
      expect((await n.apply(phpSite)).error).toBeUndefined();
      const pool = join(n.config.phpFpm.poolDir, "steward-site-php2.conf");
      const previous = readFileSync(pool);
      // php-fpm -t accepts a socket in a missing directory; the reload then fails to bind it
      // and the master exits (every PHP site down): the rollback must start it again
      const config = { ...n.config, phpFpm: { ...n.config.phpFpm, socketDir: "/nonexistent/run" } };
      const { siteApply } = await import("./apply.ts");
      const r = await n.run(siteApply, { ...defaults, ...phpSite }, config);
      expect(r).toMatchObject({ status: "rolled_back", error: { code: "VERIFY_FAILED" } });
      expect(readFileSync(pool)).toEqual(previous);
      expect(r.steps.map((s) => s.name)).toContain("start php-fpm");
      writeFileSync(
        join(n.config.sitesRoot, "php2", "public", "ok.php"),
        "<?php echo 'php ', 1 + 1;",
      );
      await expect
        .poll(async () => (await n.nginx.request("php2.test", "/ok.php")).body)
        .toBe("php 2");
    },
  );
});

const defaults = {
  kind: "static",
  aliases: [],
  redirect: "none",
  root: "public",
  suspended: false,
  protection: [],
  php: {},
};
