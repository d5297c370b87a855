// Monitor settings and the API's create/update: each bad value refused naming its field.
import { describe, expect, it } from "vitest";
import { monitorCreate, monitorUpdate } from "./api.ts";
import { monitorSettings, monitorTarget, statusMatches } from "./settings.ts";

const issues = (schema: { safeParse(v: unknown): { error?: { issues: unknown[] } } }, v: unknown) =>
  ((schema.safeParse(v).error?.issues ?? []) as { path: PropertyKey[]; message: string }[]).map(
    (i) => [i.path.join("."), i.message],
  );

const base = { name: "shop", settings: { kind: "tcp", host: "example.com", port: 443 } };

describe("monitor settings", () => {
  it("fills in each kind's defaults", () => {
    expect(monitorSettings.parse({ kind: "http", url: "https://example.com/health" })).toEqual({
      kind: "http",
      url: "https://example.com/health",
      method: "GET",
      expectedStatuses: ["200-299"],
      followRedirects: true,
      headers: {},
    });
    expect(monitorSettings.parse({ kind: "dns", name: "example.com" })).toMatchObject({
      recordType: "A",
      resolver: "1.1.1.1:53",
    });
    expect(monitorSettings.parse({ kind: "tls", host: "example.com" })).toMatchObject({
      port: 443,
      warnDays: 14,
      checkChain: true,
    });
    expect(monitorSettings.parse({ kind: "ping", host: "192.0.2.1" })).toEqual({
      kind: "ping",
      host: "192.0.2.1",
      count: 3,
    });
    expect(monitorSettings.parse({ kind: "rdap", domain: "example.com" })).toEqual({
      kind: "rdap",
      domain: "example.com",
      warnDays: 30,
    });
    expect(monitorCreate.parse(base)).toMatchObject({
      intervalSeconds: 60,
      timeoutSeconds: 10,
      retries: 0,
      paused: false,
      installation: false,
      maintenance: [],
    });
  });

  it.each([
    [{ kind: "icmp" }, "kind", "must name a kind"],
    [{ kind: "ping", host: "-f" }, "host", "-f is not a valid host name"],
    [{ kind: "ping", host: ";" }, "host", "must be a host name or an IP address"],
    [{ kind: "ping", host: "x.org; reboot" }, "host", "must be a host name or an IP address"],
    [{ kind: "ping", host: "fe80::1%eth0" }, "host", "must be a host name or an IP address"],
    [{ kind: "ping", host: "x.org", count: 11 }, "count", "at most 10"],
    [{ kind: "rdap", domain: "../x.org" }, "domain", "must be a domain name"],
    [{ kind: "rdap", domain: "x.org/../help" }, "domain", "must be a domain name"],
    [{ kind: "rdap", domain: "x.org", warnDays: -1 }, "warnDays", ""],
    [{ kind: "http", url: "ftp://x.org" }, "url", "must be an http:// or https:// URL"],
    [{ kind: "http", url: "http://2130706433/" }, "url", "not an IPv4 address in standard form"],
    [
      { kind: "http", url: "https://x.org", expectedStatuses: ["2xx"] },
      "expectedStatuses.0",
      "a status like",
    ],
    [
      { kind: "http", url: "https://x.org", expectedStatuses: ["299-200"] },
      "expectedStatuses.0",
      "from a lower",
    ],
    [
      { kind: "http", url: "https://x.org", json: { path: "status", equals: "ok" } },
      "json.path",
      "a path like",
    ],
    [
      { kind: "http", url: "https://x.org", keyword: { text: "" } },
      "keyword.text",
      "must not be empty",
    ],
    [
      { kind: "http", url: "https://x.org", headers: { Host: "x" } },
      "headers.Host",
      "set by Steward",
    ],
    [{ kind: "http", url: "https://x.org", degradedAboveMs: 0 }, "degradedAboveMs", ""],
    [{ kind: "tcp", host: "a b", port: 80 }, "host", "must be a host name or an IP address"],
    [{ kind: "tcp", host: "x.org", port: 70000 }, "port", "between 1 and 65535"],
    [{ kind: "dns", name: "-x.org" }, "name", "must be a DNS name"],
    [{ kind: "dns", name: "x.org", recordType: "SRV" }, "recordType", ""],
    [{ kind: "dns", name: "x.org", resolver: "dns.google:53" }, "resolver", "IP address and port"],
    [{ kind: "dns", name: "x.org", resolver: "1.1.1.1" }, "resolver", "IP address and port"],
    [{ kind: "tls", host: "x.org", warnDays: 400 }, "warnDays", "at most 365"],
    [{ kind: "heartbeat", graceSeconds: -1 }, "graceSeconds", ""],
  ])("refuses %j naming %s", (settings, field, message) => {
    const found = issues(monitorSettings, settings);
    expect(found.map(([path]) => path)).toContain(field);
    expect(found.find(([path]) => path === field)?.[1]).toContain(message);
  });

  it.each([
    [{ ...base, intervalSeconds: 19 }, "intervalSeconds", "between 20 and 86400"],
    [{ ...base, intervalSeconds: 86_401 }, "intervalSeconds", "between 20 and 86400"],
    [
      { ...base, intervalSeconds: 20, timeoutSeconds: 20 },
      "timeoutSeconds",
      "shorter than the interval",
    ],
    [{ ...base, retries: 11 }, "retries", "at most 10"],
    [{ ...base, name: "" }, "name", "must not be empty"],
    [{ ...base, installation: true, account: "acc" }, "account", "belongs to no account"],
    [
      { ...base, maintenance: [{ start: "2026-01-02T00:00:00Z", end: "2026-01-01T00:00:00Z" }] },
      "maintenance.0.end",
      "must end after it starts",
    ],
    [{ ...base, settings: { kind: "tcp", host: "x.org" } }, "settings.port", ""],
  ])("create refuses %j naming %s", (input, field, message) => {
    const found = issues(monitorCreate, input);
    expect(found.find(([path]) => path === field)?.[1]).toContain(message);
  });

  it("an update checks the timeout against the interval it changes", () => {
    expect(issues(monitorUpdate, { intervalSeconds: 30, timeoutSeconds: 30 })).toEqual([
      ["timeoutSeconds", "must be shorter than the interval"],
    ]);
    expect(issues(monitorUpdate, { paused: true })).toEqual([]);
  });

  it("matches statuses and ranges, and names each kind's target", () => {
    expect(statusMatches(["200-299", "404"], 204)).toBe(true);
    expect(statusMatches(["200-299", "404"], 404)).toBe(true);
    expect(statusMatches(["200-299", "404"], 500)).toBe(false);
    expect(monitorTarget(monitorSettings.parse({ kind: "tls", host: "2001:db8::1" }))).toBe(
      "[2001:db8::1]:443",
    );
    expect(monitorTarget(monitorSettings.parse({ kind: "dns", name: "x.org" }))).toBe(
      "x.org A @1.1.1.1:53",
    );
  });
});
