import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { filePath, loadConfig, newestPhpFpm, parseConfig } from "./config.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "steward-config-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const minimal = { nodeId: "node_1", panelUrl: "https://panel.example.com" };

describe("agent.json", () => {
  it("fills Debian/Ubuntu defaults around the identity", () => {
    const c = parseConfig(dir, { ...minimal, phpFpm: { version: "8.3" } });
    expect(c.listen).toEqual({ host: "0.0.0.0", port: 7443 });
    expect(c.nginx).toMatchObject({
      bin: "/usr/sbin/nginx",
      sitesDir: "/etc/nginx/conf.d",
      httpPort: 80,
      pidFile: "/run/nginx.pid",
      unit: "nginx",
    });
    expect(c.phpFpm).toEqual({
      version: "8.3",
      bin: "/usr/sbin/php-fpm8.3",
      poolDir: "/etc/php/8.3/fpm/pool.d",
      socketDir: "/run/php",
      pidFile: "/run/php/php8.3-fpm.pid",
      unit: "php8.3-fpm",
    });
    expect(c.users).toMatchObject({ useradd: "/usr/sbin/useradd", shell: "/usr/sbin/nologin" });
    expect(c.sitesRoot).toBe("/var/www/steward");
    expect(filePath(c, "key")).toBe(join(dir, "agent.key"));
    expect(filePath({ dir, files: { ...c.files, ca: "/etc/ssl/ca.pem" } }, "ca")).toBe(
      "/etc/ssl/ca.pem",
    );
  });

  it("resolves systemd: auto from /run/systemd/system, or as set", async () => {
    const { existsSync } = await import("node:fs");
    expect(parseConfig(dir, minimal).systemd).toBe(existsSync("/run/systemd/system"));
    expect(parseConfig(dir, { ...minimal, systemd: true }).systemd).toBe(true);
    expect(parseConfig(dir, { ...minimal, systemd: false }).systemd).toBe(false);
  });

  it("a bad value is one error naming the key", () => {
    const bad = (raw: unknown) => () => parseConfig(dir, raw);
    expect(bad({ ...minimal, nginx: { httpPort: 70000 } })).toThrow(
      `${join(dir, "agent.json")}: nginx.httpPort must be between 1 and 65535`,
    );
    expect(bad({ ...minimal, nginx: { bin: "nginx" } })).toThrow(
      /: nginx\.bin must be an absolute path$/,
    );
    expect(bad({ ...minimal, systemd: "yes" })).toThrow(/: systemd /);
    expect(bad({ ...minimal, nginxx: {} })).toThrow(/: \(top level\) Unrecognized key: "nginxx"/);
    expect(bad({ panelUrl: "https://x" })).toThrow(/: nodeId /);
    expect(bad({ ...minimal, panelUrl: "file:///etc/passwd" })).toThrow(
      /: panelUrl must be an http\(s\) URL/,
    );
    // clamd's address goes into rspamd's antivirus.conf between quotes: a path or host:port only
    const rspamd = (clamd: string) => ({ ...minimal, mail: { rspamd: { clamd } } });
    for (const clamd of ['127.0.0.1:3310"; x = "', "clamd.ctl", "/run/clamav/a b", "host:port\n"])
      expect(bad(rspamd(clamd)), clamd).toThrow(
        /: mail\.rspamd\.clamd must be clamd's socket path or host:port$/,
      );
    for (const clamd of ["/run/clamav/clamd.ctl", "127.0.0.1:3310"])
      expect(parseConfig(dir, rspamd(clamd)).mail.rspamd?.clamd).toBe(clamd);
  });

  it("loads agent.json from the directory with clear errors", async () => {
    expect(() => loadConfig(dir)).toThrow(/agent\.json does not exist: enroll first/);
    await writeFile(join(dir, "agent.json"), "{ nope");
    expect(() => loadConfig(dir)).toThrow(/agent\.json is not valid JSON/);
    await writeFile(join(dir, "agent.json"), JSON.stringify(minimal));
    expect(loadConfig(dir)).toMatchObject({ dir, nodeId: "node_1" });
  });

  it("picks the newest php-fpm installed", async () => {
    for (const f of ["php-fpm7.4", "php-fpm8.10", "php-fpm8.2", "php-fpm"])
      await writeFile(join(dir, f), "");
    expect(newestPhpFpm(dir)).toBe("8.10");
    expect(newestPhpFpm(join(dir, "none"))).toBeNull();
  });
});
