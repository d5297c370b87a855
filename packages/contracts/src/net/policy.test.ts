// The outbound policy's decisions, address by address: the spellings resolvers read as
// loopback, every special range, the endpoints of Steward itself, and the allow/deny lists.
import { describe, expect, it } from "vitest";
import { upstream } from "../validators.ts";
import { DEFAULT_POLICY, type OutboundPolicy, outboundPolicy, refuseTarget } from "./policy.ts";
import { fixedAddresses, neverResolves, parseTarget, type Target } from "./target.ts";

const ctx = { who: "this node", localAddresses: ["192.0.2.2"] };
const target = (url: string): Target => {
  const t = parseTarget(url);
  if (typeof t === "string") throw new Error(t);
  return t;
};
const literal = (url: string, p: OutboundPolicy = DEFAULT_POLICY) => {
  const t = target(url);
  return refuseTarget(p, t, t.ip ? [t.ip.toString()] : [], ctx);
};
const policy = (p: Partial<OutboundPolicy>) => outboundPolicy.parse(p);

describe("upstream syntax", () => {
  it.each([
    "http://2130706433:80",
    "http://0x7f.1:80",
    "http://0x7f000001:80",
    "http://0177.0.0.1:80",
    "http://127.1:80",
    "http://127.0.0.01:80",
    "http://1.2.3.4.5:80",
    "http://256.0.0.1:80",
    "http://foo.0x10:80",
    "http://[::ffff:127.0.0.1]:80",
    "http://[::ffff:7f00:1]:80",
    "http://[:::1]:80",
    "http://[fe80::1%25eth0]:80",
    "http://a..b:80",
    "http://-a.example:80",
    "http://user@127.0.0.1:80",
    "http://example.com:0",
    "gopher://example.com:70",
  ])("refuses %s", (url) => {
    expect(upstream.safeParse(url).success).toBe(false);
  });

  it("accepts names and canonical literals, normalising case and a trailing dot", () => {
    expect(target("http://App.Example.COM.:8080")).toMatchObject({
      host: "app.example.com",
      port: 8080,
      ip: null,
    });
    expect(target("https://[2001:DB8::1]:443").host).toBe("2001:db8::1");
    expect(target("http://93.184.216.34:80").ip?.toString()).toBe("93.184.216.34");
    expect(upstream.safeParse("http://backend:3000").success).toBe(true);
  });
});

describe("outbound policy", () => {
  it.each([
    ["http://127.0.0.1:80", "127.0.0.1 is a loopback address, which this node does not allow"],
    ["http://127.255.0.9:80", "a loopback address"],
    ["http://[::1]:80", "::1 is a loopback address"],
    ["http://0.0.0.0:80", "an unspecified address (this machine), which is never allowed"],
    ["http://0.1.2.3:80", "an unspecified address"],
    ["http://[::]:80", "an unspecified address"],
    ["http://169.254.169.254:80", "a link-local address"],
    ["http://[fe80::1]:80", "a link-local address"],
    ["http://10.1.2.3:80", "a private address"],
    ["http://172.16.0.1:80", "a private address"],
    ["http://192.168.1.1:80", "a private address"],
    ["http://100.64.0.1:80", "a private address"],
    ["http://[fd00::1]:80", "a private address"],
    ["http://[fc00::1]:80", "a private address"],
    ["http://224.0.0.1:80", "a multicast address, which is never allowed"],
    ["http://[ff02::1]:80", "a multicast address"],
    ["http://255.255.255.255:80", "a broadcast address"],
    ["http://240.0.0.1:80", "a reserved address"],
    ["http://192.0.2.10:80", "a reserved address"],
    ["http://198.18.0.1:80", "a reserved address"],
    ["http://[::7f00:1]:80", "a reserved address"],
    ["http://[64:ff9b::7f00:1]:80", "a reserved address"],
    ["http://[2002:7f00:1::]:80", "a reserved address"],
    ["http://[2001:db8::1]:80", "a reserved address"],
  ])("refuses %s by default", (url, why) => {
    expect(literal(url)).toContain(why);
  });

  it("allows public addresses", () => {
    expect(literal("http://93.184.216.34:80")).toBeNull();
    expect(literal("https://[2606:2800:220:1::1]:443")).toBeNull();
  });

  it("refuses a name when any address it resolves to is refused, mapped IPv6 included", () => {
    const t = target("http://app.example.com:80");
    expect(refuseTarget(DEFAULT_POLICY, t, ["93.184.216.34"], ctx)).toBeNull();
    expect(refuseTarget(DEFAULT_POLICY, t, ["93.184.216.34", "::ffff:7f00:1"], ctx)).toBe(
      "app.example.com resolves to 127.0.0.1, a loopback address, which this node does not allow",
    );
    expect(refuseTarget(DEFAULT_POLICY, t, [], ctx)).toBe(
      "app.example.com does not resolve to any address",
    );
  });

  it("allows private ranges on a node that allows them, and allow lists anything but the never", () => {
    const p = policy({ allowPrivate: true });
    expect(literal("http://10.1.2.3:80", p)).toBeNull();
    expect(literal("http://[fd00::1]:80", p)).toBeNull();
    expect(literal("http://127.0.0.1:80", p)).toContain("loopback");
    const lo = policy({ allow: ["127.0.0.0/8", "::ffff:169.254.0.0/112", "0.0.0.0/0"] });
    expect(literal("http://127.0.0.1:80", lo)).toBeNull();
    expect(literal("http://169.254.1.1:80", lo)).toBeNull();
    expect(literal("http://0.0.0.0:80", lo)).toContain("never allowed");
    expect(literal("http://224.0.0.1:80", lo)).toContain("never allowed");
  });

  it("lets the installation's deny list win over every allow", () => {
    const p = policy({ allowPrivate: true, allow: ["10.0.0.0/8"], deny: ["10.9.0.0/16"] });
    expect(literal("http://10.9.1.1:80", p)).toBe(
      "10.9.1.1 is in 10.9.0.0/16, which this installation denies",
    );
    expect(literal("http://10.8.1.1:80", p)).toBeNull();
    expect(literal("http://93.184.216.34:80", policy({ deny: ["93.184.216.0/24"] }))).toContain(
      "denies",
    );
  });

  it("refuses Steward's own endpoints whatever is allowed", () => {
    const p = policy({
      allow: ["127.0.0.0/8", "192.0.2.0/24"],
      endpoints: [
        { host: "local", port: 7443, what: "the agent" },
        { host: "192.0.2.50", port: 8080, what: "the panel" },
        { host: "panel.example.com", port: 443, what: "the panel" },
      ],
    });
    expect(literal("http://127.0.0.1:7443", p)).toBe(
      "127.0.0.1 is the agent's own address and port, which are never allowed",
    );
    // one of this machine's own addresses
    expect(literal("http://192.0.2.2:7443", p)).toContain("the agent's own");
    expect(literal("http://192.0.2.50:8080", p)).toContain("the panel's own");
    expect(literal("http://127.0.0.1:7444", p)).toBeNull();
    expect(literal("http://192.0.2.50:8081", p)).toBeNull();
    const named = {
      ...ctx,
      endpointAddresses: new Map([["panel.example.com", ["93.184.216.34"]]]),
    };
    const t = target("https://93.184.216.34:443");
    expect(refuseTarget(p, t, ["93.184.216.34"], named)).toContain("the panel's own");
  });

  it("writes CIDR lists back canonically and refuses what is not one", () => {
    expect(policy({ allow: ["10.0.0.1", "FD00::/8", "::ffff:10.0.0.0/104"] }).allow).toEqual([
      "10.0.0.1/32",
      "fd00::/8",
      "10.0.0.0/8",
    ]);
    for (const bad of ["10.0.0.0/33", "010.0.0.0/8", "10.0.0.0/8/8", "example.com/8", "::/129", ""])
      expect(outboundPolicy.safeParse({ allow: [bad] }).success).toBe(false);
  });
});

describe("apps' own ports (ingress through a site)", () => {
  const withApps = policy({ appPorts: [20001] });
  it("allows exactly an app's published port on the node's own addresses", () => {
    expect(literal("http://127.0.0.1:20001", withApps)).toBeNull();
    expect(literal("http://192.0.2.2:20001", withApps)).toBeNull();
    expect(literal("http://[::1]:20001", withApps)).toBeNull();
  });
  it("refuses any other port, and the port on another machine", () => {
    expect(literal("http://127.0.0.1:20002", withApps)).toContain("a loopback address");
    expect(literal("http://127.0.0.1:20001")).toContain("a loopback address");
    expect(literal("http://10.0.0.9:20001", withApps)).toContain("a private address");
  });
  it("never allows Steward's own endpoints or denied ranges through it", () => {
    const p = policy({
      appPorts: [7443],
      endpoints: [{ host: "local", port: 7443, what: "the agent" }],
    });
    expect(literal("http://127.0.0.1:7443", p)).toContain("the agent's own address");
    const denied = policy({ appPorts: [20001], deny: ["127.0.0.0/8"] });
    expect(literal("http://127.0.0.1:20001", denied)).toContain("which this installation denies");
  });
});

describe("special-use names (RFC 6761)", () => {
  it("fixes localhost's addresses and never asks a resolver for an .invalid name", () => {
    expect(fixedAddresses("api.localhost")).toEqual(["127.0.0.1", "::1"]);
    expect(fixedAddresses("example.com")).toBeNull();
    for (const name of ["invalid", "blog.invalid", "a.b.invalid"])
      expect(neverResolves(name)).toBe(true);
    for (const name of ["invalid.example.com", "example.com", "xinvalid"])
      expect(neverResolves(name)).toBe(false);
  });
});
