import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../config.ts";
import { isRunning, livePid, serviceSpec } from "./service.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "steward-service-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const base = { nodeId: "n", panelUrl: "http://127.0.0.1:1", systemd: false };

describe("service control without systemd", () => {
  it("runs nginx with -p/-c for a hermetic instance, plainly for the system one", () => {
    const hermetic = parseConfig(dir, {
      ...base,
      nginx: { bin: "/usr/sbin/nginx", prefix: "/tmp/n", confFile: "/tmp/n/nginx.conf" },
    });
    const s = serviceSpec(hermetic, "nginx");
    expect(s.test).toEqual([
      "/usr/sbin/nginx",
      "-p",
      "/tmp/n",
      "-c",
      "/tmp/n/nginx.conf",
      "-t",
      "-q",
    ]);
    expect(s.reload).toEqual([
      "/usr/sbin/nginx",
      "-p",
      "/tmp/n",
      "-c",
      "/tmp/n/nginx.conf",
      "-s",
      "reload",
    ]);
    const system = serviceSpec(parseConfig(dir, base), "nginx");
    expect(system.start).toEqual(["/usr/sbin/nginx"]);
    const fpm = serviceSpec(
      parseConfig(dir, { ...base, phpFpm: { version: "8.2", confFile: "/tmp/f.conf" } }),
      "php-fpm",
    );
    expect(fpm.test).toEqual(["/usr/sbin/php-fpm8.2", "--fpm-config", "/tmp/f.conf", "-t"]);
    expect(fpm.reload).toEqual({ signal: "SIGUSR2" });
  });

  it("a pid file naming a live process means running; a stale or bad one does not", async () => {
    const config = parseConfig(dir, base);
    const pidFile = join(dir, "x.pid");
    expect(await isRunning(config, { unit: "x", pidFile })).toBe(false);
    const child = spawn("/usr/bin/sleep", ["30"], { stdio: "ignore" });
    try {
      await writeFile(pidFile, `${child.pid}\n`);
      expect(await livePid(pidFile)).toBe(child.pid);
      expect(await isRunning(config, { unit: "x", pidFile })).toBe(true);
    } finally {
      child.kill();
      await new Promise((r) => child.once("exit", r));
    }
    expect(await isRunning(config, { unit: "x", pidFile })).toBe(false);
    await writeFile(pidFile, "not a pid");
    expect(await livePid(pidFile)).toBeNull();
  });
});
