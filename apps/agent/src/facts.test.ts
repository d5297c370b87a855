import { existsSync, readdirSync } from "node:fs";
import { chmod, copyFile, mkdtemp, rm } from "node:fs/promises";
import { hostname, release, tmpdir } from "node:os";
import { join } from "node:path";
import { facts } from "@steward/contracts/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "./config.ts";
import { collectFacts } from "./facts.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "steward-facts-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("facts", () => {
  it("reports the host, and services from the configured paths", async () => {
    // a configured path is what counts: coreutils' cat stands in for dovecot (--version works)
    const fakeDovecot = join(dir, "dovecot");
    await copyFile("/bin/cat", fakeDovecot);
    await chmod(fakeDovecot, 0o755);
    const config = parseConfig(dir, {
      nodeId: "n",
      panelUrl: "http://127.0.0.1:1",
      systemd: false,
      sitesRoot: dir,
      disks: ["/nonexistent-mount"],
      binaries: {
        mariadb: "/nonexistent/mariadbd",
        mysqld: "/nonexistent/mysqld",
        dovecot: fakeDovecot,
      },
    });
    const f = facts.parse(await collectFacts(config));
    expect(f.os.kernel).toBe(release());
    expect(f.os.id).toMatch(/^[a-z0-9._-]+$/); // /etc/os-release ID (debian here)
    expect(f.hostname).toBe(hostname());
    expect(f.memory.availableBytes).toBeGreaterThan(0);
    expect(f.disks.map((d) => d.mount)).toEqual([
      "/",
      dir,
      ...(existsSync("/var/log/steward") ? ["/var/log/steward"] : []),
    ]);
    const byName = Object.fromEntries(f.services.map((s) => [s.name, s]));
    expect(byName.mariadb).toEqual({
      name: "mariadb",
      installed: false,
      version: null,
      running: null,
    });
    expect(byName.dovecot).toMatchObject({
      installed: true,
      version: expect.stringMatching(/^\d+\.\d+/),
    });
    // the PHP-FPM versions sites may choose (only 8.2 is installed here)
    const php = readdirSync("/usr/sbin").filter((n) => /^php-fpm\d+\.\d+$/.test(n));
    expect(f.php?.versions).toEqual(
      php
        .map((n) => n.slice("php-fpm".length))
        .sort()
        .reverse(),
    );
    expect(f.php?.default).toBe(php.length ? config.phpFpm.version : null);
    if (existsSync("/usr/sbin/nginx"))
      expect(byName.nginx).toMatchObject({
        installed: true,
        version: expect.stringMatching(/^\d+\.\d+/),
      });
    // ClamAV's daemon: what lets the panel offer virus scanning (docs/mail.md#viruses)
    if (existsSync("/usr/sbin/clamd"))
      expect(byName.clamd).toMatchObject({
        installed: true,
        version: expect.stringMatching(/^\d+\.\d+/),
      });
  });
});
