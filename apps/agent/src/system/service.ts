// Service control with or without systemd (config.systemd). With systemd: systemctl
// start/reload/is-active. Without: the service's binary starts it (it daemonizes), its pid
// file says whether it runs, and a reload is `nginx -s reload` or a signal to the master.
import { readFile } from "node:fs/promises";
import type { AgentConfig } from "../config.ts";
import { type OpContext, OpFailure } from "../ops/types.ts";
import { run } from "./exec.ts";

export type ServiceName = "nginx" | "php-fpm" | "sshd";
/** What operations lock as a whole: the services above, the node's DNS server, cloudflared, pure-ftpd's users, mail, the firewall. */
export type LockedService = ServiceName | "dns" | "cloudflared" | "pure-ftpd" | "mail" | "nftables";

export interface ServiceSpec {
  name: ServiceName;
  unit: string;
  pidFile: string;
  /** argv that checks the configuration (nginx -t, php-fpm -t) */
  test: string[];
  /** argv that starts it without systemd */
  start: string[];
  /** without systemd: argv, or a signal to the master process */
  reload: string[] | { signal: NodeJS.Signals };
}

/** nginx's -p/-c arguments for a hermetic instance (nothing for the system one). */
export function nginxBaseArgs(config: AgentConfig): string[] {
  const n = config.nginx;
  return [...(n.prefix ? ["-p", n.prefix] : []), ...(n.confFile ? ["-c", n.confFile] : [])];
}

/** nginx -T: tests the configuration and prints every file it loads (-q: no warnings). */
export function nginxDumpArgv(config: AgentConfig): string[] {
  return [config.nginx.bin, ...nginxBaseArgs(config), "-T", "-q"];
}

export function serviceSpec(config: AgentConfig, name: ServiceName): ServiceSpec {
  if (name === "nginx") {
    const base = [config.nginx.bin, ...nginxBaseArgs(config)];
    return {
      name,
      unit: config.nginx.unit,
      pidFile: config.nginx.pidFile,
      test: [...base, "-t", "-q"],
      start: base,
      reload: [...base, "-s", "reload"],
    };
  }
  if (name === "sshd") {
    const h = config.hosting.sshd;
    return {
      name,
      unit: h.unit,
      pidFile: h.pidFile,
      test: [h.bin, "-t", "-f", h.configFile],
      start: [h.bin, "-f", h.configFile],
      reload: { signal: "SIGHUP" },
    };
  }
  const p = config.phpFpm;
  const base = [
    p.bin,
    ...(p.confFile ? ["--fpm-config", p.confFile] : []),
    ...(p.prefix ? ["--prefix", p.prefix] : []),
  ];
  return {
    name,
    unit: p.unit,
    pidFile: p.pidFile,
    test: [...base, "-t"],
    start: base,
    reload: { signal: "SIGUSR2" },
  };
}

/** The pid in a pid file when that process is alive, else null. */
export async function livePid(pidFile: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(pidFile, "utf8");
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM" ? pid : null;
  }
}

/** Is the service running: systemctl is-active, or its pid file names a live process. */
export async function isRunning(
  config: AgentConfig,
  s: { unit: string; pidFile: string },
): Promise<boolean> {
  if (config.systemd) {
    const r = await run([config.systemctl, "is-active", "--quiet", s.unit], { timeoutMs: 10_000 });
    return r.exitCode === 0;
  }
  return (await livePid(s.pidFile)) !== null;
}

/** Checks the service's configuration as a step; a failure is an OpFailure with its output. */
export async function testConfig(ctx: OpContext, name: ServiceName) {
  await ctx.exec(`test ${name} configuration`, serviceSpec(ctx.config, name).test);
}

export async function startService(ctx: OpContext, name: ServiceName) {
  const s = serviceSpec(ctx.config, name);
  if (ctx.config.systemd) await ctx.exec(`start ${name}`, [ctx.config.systemctl, "start", s.unit]);
  else await ctx.exec(`start ${name}`, s.start, { timeoutMs: 30_000 });
  ctx.changed();
}

/** Reloads a running service, starts a stopped one. */
export async function reloadService(ctx: OpContext, name: ServiceName) {
  const s = serviceSpec(ctx.config, name);
  if (!(await isRunning(ctx.config, s))) return startService(ctx, name);
  if (ctx.config.systemd) {
    await ctx.exec(`reload ${name}`, [ctx.config.systemctl, "reload", s.unit]);
  } else if (Array.isArray(s.reload)) {
    await ctx.exec(`reload ${name}`, s.reload);
  } else {
    const signal = s.reload.signal;
    await ctx.step(`reload ${name} (${signal})`, async () => {
      const pid = await livePid(s.pidFile);
      if (pid === null)
        throw new OpFailure(
          "NOT_RUNNING",
          `${name} stopped while reloading (no live pid in ${s.pidFile})`,
        );
      process.kill(pid, signal);
    });
  }
  ctx.changed();
}
