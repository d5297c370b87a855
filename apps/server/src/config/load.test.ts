import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadSettings, type Overrides } from "./load.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "steward-config-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = (more: Record<string, string> = {}) => ({ STEWARD_DATA_DIR: dir, ...more });
const writeConfig = (body: unknown) =>
  writeFileSync(join(dir, "steward.json"), typeof body === "string" ? body : JSON.stringify(body));

/** The ConfigError thrown by loadSettings (fails the test if none is). */
function configError(e: Record<string, string>, flags: Overrides = {}): ConfigError {
  try {
    loadSettings(e, flags);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message).not.toContain("\n");
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("loadSettings", () => {
  it("has defaults", () => {
    const s = loadSettings(env());
    expect(s).toEqual({
      dataDir: resolve(dir),
      databaseUrl: undefined,
      port: 8080,
      listen: "127.0.0.1",
      localAgent: true,
      localAgentPort: 7443,
      publicUrl: undefined,
      agentDist: undefined,
      logLevel: "info",
      masterKey: undefined,
      trustProxy: [],
      bodyLimit: 1024 * 1024,
      auditRetentionDays: 365,
      eventRetentionDays: 90,
      monitorResultRetentionDays: 7,
      rdapBootstrapUrl: "https://data.iana.org/rdap/dns.json",
      taskLogRetentionDays: 30,
      roles: "all",
      workerConcurrency: 8,
      taskLeaseSeconds: 30,
      schedulerStallSeconds: 60,
      logFile: undefined,
      logKeep: 7,
      outboundAllow: [],
      outboundDeny: [],
      cmsHostConcurrency: 4,
      cmsAbandonedMonths: 24,
      wordpressPluginsApi: "https://api.wordpress.org/plugins/info/1.2/",
      chromium: "/usr/bin/chromium",
      acmeStaging: false,
      acmeDnsResolvers: [],
      mailDnsResolvers: [],
      cloudflareApi: "https://api.cloudflare.com/client/v4",
      githubApi: "https://api.github.com",
      githubWeb: "https://github.com",
      tlsHttpPort: 80,
      configFile: join(resolve(dir), "steward.json"),
    });
  });

  it("reads CIDR lists for the outbound policy, canonically, and names a bad one", () => {
    const s = loadSettings(env({ STEWARD_OUTBOUND_ALLOW: "10.20.0.0/16, FD00::/8 192.0.2.7" }));
    expect(s.outboundAllow).toEqual(["10.20.0.0/16", "fd00::/8", "192.0.2.7/32"]);
    for (const bad of ["10.0.0.0/33", "2130706433/32", "example.com"])
      expect(() => loadSettings(env({ STEWARD_OUTBOUND_DENY: bad }))).toThrow(
        "invalid setting STEWARD_OUTBOUND_DENY: must be an address or a CIDR range",
      );
  });

  it("defaults the data directory to ./data", () => {
    const s = loadSettings({ STEWARD_CONFIG: join(dir, "none.json") });
    expect(s.dataDir).toBe(resolve("data"));
    expect(s.configFile).toBe(join(dir, "none.json"));
  });

  it("takes flags over environment over config file over defaults", () => {
    writeConfig({ port: 1001, listen: "0.0.0.0", logLevel: "warn" });
    expect(loadSettings(env())).toMatchObject({ port: 1001, listen: "0.0.0.0", logLevel: "warn" });
    const fromEnv = env({ STEWARD_PORT: "1002", STEWARD_LOG_LEVEL: "debug" });
    expect(loadSettings(fromEnv)).toMatchObject({
      port: 1002,
      listen: "0.0.0.0",
      logLevel: "debug",
    });
    expect(loadSettings(fromEnv, { port: 1003 })).toMatchObject({ port: 1003, logLevel: "debug" });
  });

  it("treats an empty environment variable as unset", () => {
    writeConfig({ port: 1001 });
    expect(loadSettings(env({ STEWARD_PORT: "" })).port).toBe(1001);
  });

  it("reads the config file named by STEWARD_CONFIG", () => {
    const file = join(dir, "elsewhere.json");
    writeFileSync(file, JSON.stringify({ port: 1234 }));
    const s = loadSettings(env({ STEWARD_CONFIG: file }));
    expect(s.port).toBe(1234);
    expect(s.configFile).toBe(file);
  });

  it("parses booleans from words", () => {
    expect(loadSettings(env({ STEWARD_LOCAL_AGENT: "no" })).localAgent).toBe(false);
    expect(loadSettings(env({ STEWARD_LOCAL_AGENT: "1" })).localAgent).toBe(true);
    expect(configError(env({ STEWARD_LOCAL_AGENT: "maybe" })).message).toContain(
      "STEWARD_LOCAL_AGENT",
    );
  });

  it("takes trusted proxies as addresses and CIDR ranges, never a blanket true", () => {
    const proxies = (v: string) => loadSettings(env({ STEWARD_TRUST_PROXY: v })).trustProxy;
    expect(proxies("127.0.0.1, 10.0.0.0/8,::1,fd00::/8")).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "::1",
      "fd00::/8",
    ]);
    expect(proxies("0")).toEqual([]);
    expect(proxies("false")).toEqual([]);
    for (const yes of ["true", "yes", "1", "on"])
      expect(configError(env({ STEWARD_TRUST_PROXY: yes })).message).toMatch(
        /^invalid setting STEWARD_TRUST_PROXY: no longer takes true .*e\.g\. 127\.0\.0\.1/,
      );
    for (const bad of ["proxy.example.com", "10.0.0.0/33", "::1/129", "1.2.3.4/8/1", "*"])
      expect(configError(env({ STEWARD_TRUST_PROXY: bad })).message, bad).toContain(
        "STEWARD_TRUST_PROXY",
      );
  });

  it("stops at a bad value with one message naming the setting where it came from", () => {
    expect(configError(env({ STEWARD_PORT: "http" })).message).toMatch(
      /^invalid setting STEWARD_PORT: /,
    );
    expect(configError(env({ STEWARD_LISTEN: "a b" })).message).toContain("STEWARD_LISTEN");
    expect(configError(env({ STEWARD_PUBLIC_URL: "ftp://x" })).message).toContain(
      "STEWARD_PUBLIC_URL",
    );
    expect(configError(env({ STEWARD_BODY_LIMIT: "12" })).message).toContain("STEWARD_BODY_LIMIT");
    expect(configError(env({ STEWARD_LOG_KEEP: "0" })).message).toBe(
      "invalid setting STEWARD_LOG_KEEP: must be between 1 and 365",
    );
    expect(loadSettings(env({ STEWARD_LOG_KEEP: "14" })).logKeep).toBe(14);
    writeConfig({ port: 70000 });
    expect(configError(env()).message).toMatch(/^invalid setting config file key "port": /);
    expect(configError(env(), { port: 0 }).message).toMatch(/^invalid setting --port: /);
  });

  it("takes the panel's own domain as a domain, exclusive with a supplied pair", () => {
    const s = loadSettings(env({ STEWARD_TLS_DOMAIN: "Panel.Example.com" }));
    expect(s).toMatchObject({ tlsDomain: "panel.example.com", tlsHttpPort: 80 });
    const hostile = [
      "p.com;rm -rf /",
      "../x",
      "a b.com",
      "x".repeat(254),
      "http://p.com",
      "p`id`.com",
    ];
    for (const bad of [...hostile, "'p.com'", "p.com\nX: y", "p\u0000.com", "p.com--"])
      expect(configError(env({ STEWARD_TLS_DOMAIN: bad })).message).toMatch(
        /^invalid setting STEWARD_TLS_DOMAIN: /,
      );
    expect(configError(env({ STEWARD_TLS_HTTP_PORT: "0" })).message).toMatch(
      /^invalid setting STEWARD_TLS_HTTP_PORT: /,
    );
    const both = configError(
      env({ STEWARD_TLS_DOMAIN: "panel.example.com", STEWARD_TLS_CERT: join(dir, "c.pem") }),
    );
    expect(both.message).toContain("STEWARD_TLS_DOMAIN");
    expect(both.message).toContain("STEWARD_TLS_CERT");
  });

  it("refuses an unknown key in the config file", () => {
    writeConfig({ port: 8080, prot: 8081 });
    expect(configError(env()).message).toContain('unknown setting "prot"');
  });

  it("refuses a config file that is not a JSON object", () => {
    writeConfig("{ port: 8080 ");
    expect(configError(env()).message).toMatch(/steward\.json is not valid JSON/);
    writeConfig([1, 2]);
    expect(configError(env()).message).toContain("must hold a JSON object");
  });

  it("accepts PostgreSQL and SQLite database URLs", () => {
    for (const url of [
      "postgres://steward:secret@db.example.com:5432/steward",
      "postgresql://steward@127.0.0.1/steward?sslmode=require",
      "sqlite:/var/lib/steward/steward.db",
      "sqlite:./data/x.db",
    ]) {
      expect(loadSettings(env({ STEWARD_DATABASE_URL: url })).databaseUrl).toBe(url);
    }
  });

  it("refuses other database URLs without echoing them", () => {
    for (const url of [
      "mysql://root:pw@localhost/steward",
      "postgres://x y",
      "postgres://host/db\n",
      "sqlite:/tmp/a.db\nrm -rf /",
      "postgres://",
      "sqlite:",
      "file:/tmp/x.db",
    ]) {
      const message = configError(env({ STEWARD_DATABASE_URL: url })).message;
      expect(message).toContain("STEWARD_DATABASE_URL");
      // values long enough to carry a secret are not repeated in the message
      if (url.length > 12) expect(message).not.toContain(url.trim());
    }
  });

  it("wants STEWARD_MASTER_KEY to be 32 bytes of base64", () => {
    const good = randomBytes(32).toString("base64");
    expect(loadSettings(env({ STEWARD_MASTER_KEY: good })).masterKey).toBe(good);
    for (const bad of [
      randomBytes(16).toString("base64"),
      randomBytes(33).toString("base64"),
      randomBytes(32).toString("hex"),
      randomBytes(32).toString("base64url"),
      `${good}\n`,
    ]) {
      const message = configError(env({ STEWARD_MASTER_KEY: bad })).message;
      expect(message).toContain("STEWARD_MASTER_KEY");
      expect(message).not.toContain(bad.trim());
    }
  });
});
