// site.apply against a real nginx and PHP-FPM (testkit), as root, with real system users.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSiteNode, type TestNode, testUser } from "../../testing/node.ts";
import { workerPids } from "./nginx.ts";

const { php, node, stop } = await startSiteNode({ php: true });
const upstream = await startUpstream();

afterAll(async () => {
  await stop();
  await new Promise((r) => upstream.close(r));
});

describe.skipIf(!node)("site.apply on nginx", () => {
  const n = node as TestNode;
  const get = (host: string, path = "/") => n.nginx.request(host, path);
  const workers = async () => [...(await workerPids(n.nginx.pid() ?? 0)).keys()];

  it("creates a static site, serves it, and a second identical apply changes nothing", async () => {
    const user = testUser();
    const r = await n.apply({ id: "static1", domains: ["static1.test"], user });
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ status: "ok", changed: true });
    const home = join(n.config.sitesRoot, "static1");
    expect(r.output).toEqual({
      home,
      documentRoot: join(home, "public"),
      configFile: join(n.nginx.sitesDir, "steward-site-static1.conf"),
    });
    const page = await get("static1.test");
    expect(page.status).toBe(200);
    expect(page.body).toContain("static1.test");
    expect(statSync(home).mode & 0o777).toBe(0o710);
    // no check file left behind
    expect(readdirSync(join(home, "public"))).toEqual(["index.html"]);

    const before = await workers();
    const conf = readFileSync(join(n.nginx.sitesDir, "steward-site-static1.conf"));
    const again = await n.apply({ id: "static1", domains: ["static1.test"], user });
    expect(again).toMatchObject({ status: "ok", changed: false });
    expect(again.steps.map((s) => s.name).filter((s) => /reload|start|test nginx/.test(s))).toEqual(
      [],
    );
    expect(await workers()).toEqual(before);
    expect(readFileSync(join(n.nginx.sitesDir, "steward-site-static1.conf"))).toEqual(conf);
  });

  it.skipIf(!php)("runs a PHP site as its own system user", async () => {
    const user = testUser();
    const r = await n.apply({ id: "php1", kind: "php", domains: ["php1.test"], user });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("ok");
    const root = join(n.config.sitesRoot, "php1", "public");
    writeFileSync(
      join(root, "who.php"),
      "<?php echo posix_getpwuid(posix_geteuid())['name'], ' ', ini_get('open_basedir');",
    );
    const who = await get("php1.test", "/who.php");
    expect(who.status).toBe(200);
    expect(who.body).toBe(`${user} ${join(n.config.sitesRoot, "php1")}/`);

    // php -> static: the pool goes away and PHP-FPM is reloaded without it
    const s = await n.apply({ id: "php1", kind: "static", domains: ["php1.test"], user });
    expect(s.error).toBeUndefined();
    expect(s.steps.map((x) => x.name)).toContain("reload php-fpm (SIGUSR2)");
    expect(existsSync(join(n.config.phpFpm.poolDir, "steward-site-php1.conf"))).toBe(false);
    expect((await get("php1.test", "/who.php")).body).toContain("<?php");
  });

  it("proxies to an upstream with the forwarding headers", async () => {
    const port = (upstream.address() as AddressInfo).port;
    const r = await n.apply({
      id: "proxy1",
      kind: "proxy",
      domains: ["proxy1.test"],
      upstream: `http://127.0.0.1:${port}`,
      outbound: { allowPrivate: false, allow: ["127.0.0.0/8"], deny: [], endpoints: [] },
      user: testUser(),
    });
    expect(r.error).toBeUndefined();
    const answer = JSON.parse((await get("proxy1.test", "/hello?x=1")).body);
    expect(answer).toMatchObject({
      url: "/hello?x=1",
      host: "proxy1.test",
      forwardedHost: "proxy1.test",
    });
  });

  it("redirects the www counterpart and aliases to the primary name with the URI", async () => {
    const r = await n.apply({
      id: "redir1",
      domains: ["redir1.test"],
      aliases: ["old-redir1.test"],
      redirect: "to-www",
      user: testUser(),
    });
    expect(r.error).toBeUndefined();
    expect((await get("www.redir1.test")).status).toBe(200);
    for (const host of ["redir1.test", "old-redir1.test"]) {
      const a = await get(host, "/a/b?c=d");
      expect(a.status).toBe(301);
      expect(a.headers.location).toBe("http://www.redir1.test/a/b?c=d");
    }
  });

  it("suspends a site (503 with the agent's page) and resumes it", async () => {
    const user = testUser();
    const site = { id: "susp1", domains: ["susp1.test"], user };
    expect((await n.apply(site)).status).toBe("ok");
    const s = await n.apply({ ...site, suspended: true });
    expect(s.error).toBeUndefined();
    const page = await get("susp1.test", "/anything");
    expect(page.status).toBe(503);
    expect(page.body).toContain("This site is suspended");
    const back = await n.apply(site);
    expect(back).toMatchObject({ status: "ok", changed: true });
    expect((await get("susp1.test")).status).toBe(200);
  });

  it("refuses a hostile value that slipped past the schema before touching anything", async () => {
    const r = await n.apply({
      id: "evil1",
      domains: ["a.test;include /etc/shadow"],
      user: testUser(),
    });
    expect(r).toMatchObject({
      status: "failed",
      changed: false,
      error: { code: "OP_INPUT_INVALID" },
    });
    expect(() => statSync(join(n.nginx.sitesDir, "steward-site-evil1.conf"))).toThrow();
  });

  it("refuses to run a site as an account that is not a site user", async () => {
    const r = await n.apply({ id: "root1", domains: ["root1.test"], user: "nobody" });
    expect(r).toMatchObject({ status: "failed", error: { code: "USER_NOT_ALLOWED" } });
  });
});

async function startUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        url: req.url,
        host: req.headers.host,
        forwardedHost: req.headers["x-forwarded-host"],
        forwardedFor: req.headers["x-forwarded-for"],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
}
