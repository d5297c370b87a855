// Hostile targets for every channel: what the outbound policy refuses at input (refuseChannel)
// and again at connect time (every send), naming the field. The production policy of an
// account's channel is used (channelPolicy): no loopback, link-local, private address or the
// panel's own endpoint, whatever the spelling, the name or a redirect.
import { channelSettings } from "@steward/contracts/notifications";
import { describe, expect, it } from "vitest";
import { fakeDeps, MESSAGE } from "./fakes/server.ts";
import { useFake } from "./fakes/use-fake.ts";
import { channelPolicy, refuseChannel, sendNotification } from "./index.ts";

const SETTINGS = {
  listen: "127.0.0.1",
  port: 8080,
  publicUrl: undefined,
  outboundAllow: [],
  outboundDeny: [],
};
const account = channelPolicy(SETTINGS, "account");
const webhook = (url: string) =>
  channelSettings.parse({ kind: "webhook", url, secret: "0123456789abcdef" });
const hosts = (map: Record<string, string[]>) => async (host: string) => map[host] ?? null;

describe("input", () => {
  it.each([
    ["http://2130706433/", "is not an IPv4 address in standard form"],
    ["http://0x7f.1/", "is not an IPv4 address in standard form"],
    ["http://[::ffff:127.0.0.1]/", "is an IPv4-mapped address"],
    ["http://user:pass@example.com/", "without user name or password"],
    ["file:///etc/passwd", "must be an http:// or https:// URL"],
  ])("refuses the URL %s naming the field", (url, why) => {
    const parsed = channelSettings.safeParse({ kind: "ntfy", serverUrl: url, topic: "t" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["serverUrl"]);
    expect(parsed.error?.issues[0]?.message).toContain(why);
  });

  it.each([
    [
      "http://127.0.0.1:9000/hook",
      "127.0.0.1 is a loopback address, which this panel does not allow",
    ],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"],
    ["http://[::1]/", "::1 is a loopback address"],
    ["http://[fe80::1]/", "fe80::1 is a link-local address"],
    ["http://10.0.0.5/", "10.0.0.5 is a private address, which this panel does not allow"],
    ["http://localhost:9000/", "localhost resolves to 127.0.0.1, a loopback address"],
    ["http://rebind.example/", "rebind.example resolves to 127.0.0.1, a loopback address"],
    ["http://127.0.0.1:8080/", "the panel's own address and port, which are never allowed"],
  ])("refuses %s for an account's channel", async (url, why) => {
    const refused = await refuseChannel(
      webhook(url),
      account,
      hosts({ "rebind.example": ["127.0.0.1"] }),
    );
    expect(refused).toEqual({ field: "url", message: expect.stringContaining(why) });
  });

  it("lets an installation-wide channel reach a private address, never loopback", async () => {
    const installation = channelPolicy(SETTINGS, "installation");
    expect(await refuseChannel(webhook("http://10.0.0.5/"), installation)).toBeNull();
    expect(await refuseChannel(webhook("http://127.0.0.1:9000/"), installation)).toMatchObject({
      field: "url",
    });
    const smtp = channelSettings.parse({
      kind: "email",
      host: "169.254.169.254",
      from: "panel@example.com",
      to: ["ops@example.com"],
    });
    expect(await refuseChannel(smtp, installation)).toEqual({
      field: "host",
      message: "169.254.169.254 is a link-local address, which this panel does not allow",
    });
  });
});

describe("connect time", () => {
  const fake = useFake((request) => {
    const query = new URL(request.path, "http://fake").searchParams;
    const to = query.get("to");
    const status = Number(query.get("code") ?? 307);
    return to ? { status, headers: { location: to } } : { status: 204 };
  });

  it.each([
    [
      "http://127.0.0.1:9/",
      "url: 127.0.0.1 is a loopback address, which this panel does not allow",
    ],
    ["http://169.254.169.254/", "url: 169.254.169.254 is a link-local address"],
    ["http://rebind.example/", "url: rebind.example resolves to 127.0.0.1, a loopback address"],
    ["http://mapped.example/", "url: mapped.example resolves to 127.0.0.1, a loopback address"],
    ["http://metadata.example/", "url: metadata.example resolves to 169.254.169.254, a link-local"],
  ])("refuses to send to %s, connecting nowhere", async (url, why) => {
    const resolve = hosts({
      "rebind.example": ["93.184.216.34", "127.0.0.1"],
      "mapped.example": ["::ffff:7f00:1"],
      "metadata.example": ["169.254.169.254"],
    });
    const deps = { policy: account, resolve };
    const result = await sendNotification(webhook(url), MESSAGE, deps);
    expect(result).toMatchObject({ ok: false, status: null, response: null });
    expect(result.error).toContain(why);
  });

  it.each([
    ["http://127.0.0.2:9/", "127.0.0.2 is a loopback address"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"],
    ["http://[::1]:9/", "::1 is a loopback address"],
  ])("does not follow a redirect to %s", async (to, why) => {
    const url = `${fake.url}/hook?to=${encodeURIComponent(to)}`;
    const result = await sendNotification(webhook(url), MESSAGE, fakeDeps());
    expect(result.ok).toBe(false);
    expect(result.error).toBe(
      `url: redirected to ${new URL(to)}: ${why}, which this panel does not allow`,
    );
  });

  it("does not follow a redirect that would turn the POST into a GET", async () => {
    const landed = `${fake.url}/landed`;
    const url = `${fake.url}/hook?code=302&to=${encodeURIComponent(landed)}`;
    const result = await sendNotification(webhook(url), MESSAGE, fakeDeps());
    expect(result).toMatchObject({ ok: false, status: 302 });
    expect(result.error).toBe(
      `url: the provider answered 302: a redirect to ${landed}, not followed (only 307 and 308 are)`,
    );
    expect(fake.requests.at(-1)?.path).toMatch(/^\/hook\?/);
  });

  it("connects to the address it checked, sending the name as Host", async () => {
    let lookups = 0;
    const resolve = async (host: string) => {
      lookups++;
      return host === "hooks.example.test" ? ["127.0.0.1"] : null;
    };
    const port = new URL(fake.url).port;
    const url = `http://hooks.example.test:${port}/hook`;
    const result = await sendNotification(webhook(url), MESSAGE, fakeDeps({ resolve }));
    expect(result).toMatchObject({ ok: true, status: 204 });
    expect(fake.requests.at(-1)?.headers.host).toBe(`hooks.example.test:${port}`);
    expect(lookups).toBe(1);
  });
});
