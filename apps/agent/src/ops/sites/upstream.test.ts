// The outbound policy where the connection is made: site.apply against a real nginx, with the
// upstream's name resolved by a real DNS server the test controls (agent.json
// resolver.servers). A refused upstream fails the operation before anything is written, and
// the node keeps serving what it served; an allowed one is pinned to the addresses checked.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { OpInput } from "@steward/contracts/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDns } from "../../testing/dns.ts";
import { startSiteNode, type TestNode, testUser } from "../../testing/node.ts";

const dns = await startTestDns();
const { node, stop } = await startSiteNode({
  over: {
    resolver: { servers: [dns.server] },
    panelUrl: "https://panel.rebind.test:9443",
    listen: { host: "0.0.0.0", port: 7443 },
  },
});
const upstream = await startUpstream();
const port = (upstream.address() as AddressInfo).port;

afterAll(async () => {
  await stop();
  await dns.stop();
  await new Promise((r) => upstream.close(r));
});

const LOOPBACK = { allowPrivate: false, allow: ["127.0.0.0/8"], deny: [], endpoints: [] };

describe.skipIf(!node)("site.apply checks the upstream on the node", () => {
  const n = node as TestNode;
  const user = testUser();
  const site = { id: "up1", domains: ["up1.test"], user };
  /** Applies the site as a proxy to `upstream` (with `more`, such as an outbound policy). */
  const proxyTo = (upstream: string, more: Partial<OpInput<"site.apply">> = {}) =>
    n.apply({ ...site, kind: "proxy", upstream, ...more });
  const confFile = join(n.nginx.sitesDir, "steward-site-up1.conf");
  let before: Buffer;

  beforeAll(async () => {
    const r = await n.apply(site);
    expect(r.error).toBeUndefined();
    before = readFileSync(confFile);
  });

  /** The refused change wrote nothing, reloaded nothing, and the static site still answers. */
  const untouched = async (r: Awaited<ReturnType<TestNode["apply"]>>) => {
    expect(r).toMatchObject({ status: "failed", changed: false });
    expect(r.steps.map((s) => s.name)).not.toContain("test nginx configuration");
    expect(readFileSync(confFile)).toEqual(before);
    const page = await n.nginx.request("up1.test");
    expect(page.status).toBe(200);
    expect(page.body).toContain("up1.test");
  };

  it.each([
    [`http://127.0.0.1:${port}`, `127.0.0.1 is a loopback address, which this node does not allow`],
    [`http://localhost:${port}`, "localhost resolves to 127.0.0.1, a loopback address"],
    ["http://169.254.169.254:80", "169.254.169.254 is a link-local address"],
    ["http://[::ffff:0:0]:80", "is an IPv4-mapped address"],
    ["http://0x7f.1:80", "is not an IPv4 address in standard form"],
  ])("refuses %s by default, before touching anything", async (up, why) => {
    const r = await proxyTo(up);
    expect(r.error?.message).toContain(why);
    await untouched(r);
  });

  it("refuses a name whose resolver answer is a denied address", async () => {
    dns.set("app.rebind.test", ["127.0.0.1"]);
    const r = await proxyTo(`http://app.rebind.test:${port}`);
    expect(r.error).toEqual({
      code: "UPSTREAM_REFUSED",
      message:
        "upstream: app.rebind.test resolves to 127.0.0.1, a loopback address, which this node does not allow",
    });
    await untouched(r);
  });

  it("refuses a name when any one of its addresses is denied", async () => {
    dns.set("multi.rebind.test", ["127.0.0.1", "10.1.2.3"]);
    const r = await proxyTo(`http://multi.rebind.test:${port}`, { outbound: LOOPBACK });
    expect(r.error?.message).toContain("resolves to 10.1.2.3, a private address");
    await untouched(r);
  });

  it("refuses a name that does not resolve", async () => {
    const r = await proxyTo("http://gone.rebind.test:80");
    expect(r.error?.message).toBe("upstream: gone.rebind.test does not resolve to any address");
    await untouched(r);
  });

  it("refuses the agent's own port and the panel's, even where loopback is allowed", async () => {
    const agent = await proxyTo("http://127.0.0.1:7443", { outbound: LOOPBACK });
    expect(agent.error?.message).toBe(
      "upstream: 127.0.0.1 is the agent's own address and port, which are never allowed",
    );
    await untouched(agent);
    dns.set("panel.rebind.test", ["127.0.0.9"]);
    const panel = await proxyTo("http://127.0.0.9:9443", { outbound: LOOPBACK });
    expect(panel.error?.message).toContain("the panel's own address and port");
    await untouched(panel);
  });

  it("proxies where the node allows it, pinned to the checked address: a rebinding changes nothing", async () => {
    dns.set("app.rebind.test", ["127.0.0.1"]);
    const proxy = {
      ...site,
      kind: "proxy" as const,
      upstream: `http://app.rebind.test:${port}`,
      outbound: LOOPBACK,
    };
    const r = await n.apply(proxy);
    expect(r.error).toBeUndefined();
    const conf = readFileSync(confFile, "utf8");
    expect(conf).toContain(`server 127.0.0.1:${port};`);
    expect(conf).not.toContain("app.rebind.test");
    expect(JSON.parse((await n.nginx.request("up1.test", "/x")).body)).toMatchObject({
      url: "/x",
      host: "up1.test",
    });

    // the name now points at the metadata service; another site's apply reloads nginx
    dns.set("app.rebind.test", ["169.254.169.254"]);
    expect((await n.apply({ id: "up2", domains: ["up2.test"], user: testUser() })).error).toBe(
      undefined,
    );
    expect((await n.nginx.request("up1.test", "/y")).status).toBe(200);
    // and applying the site again is refused, the pinned configuration keeps serving
    const again = await n.apply(proxy);
    expect(again.error?.message).toContain(
      "app.rebind.test resolves to 169.254.169.254, a link-local address",
    );
    expect(readFileSync(confFile, "utf8")).toBe(conf);
    expect(JSON.parse((await n.nginx.request("up1.test", "/z")).body)).toMatchObject({ url: "/z" });
  });

  it("suspends a proxy site whatever its upstream now resolves to", async () => {
    dns.set("app.rebind.test", ["127.0.0.1"]);
    const r = await proxyTo("http://app.rebind.test:80", { suspended: true });
    expect(r.error).toBeUndefined();
    expect((await n.nginx.request("up1.test")).status).toBe(503);
  });
});

async function startUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ url: req.url, host: req.headers.host }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
}
