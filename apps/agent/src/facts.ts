// What the node is: host, OS, kernel, CPU, memory, disks, and which services are installed,
// their versions and whether they run. Every probe runs argv with a short timeout; a probe
// that fails says "unknown" (null) rather than failing the whole report.
import { existsSync } from "node:fs";
import { readdir, readFile, statfs } from "node:fs/promises";
import { arch, availableParallelism, hostname, release } from "node:os";
import { join } from "node:path";
import type { Facts } from "@steward/contracts/agent";
import { type AgentConfig, phpVersions } from "./config.ts";
import { run } from "./system/exec.ts";
import { isRunning } from "./system/service.ts";

interface Probe {
  name: string;
  /** candidate binaries; the first that exists counts */
  bins: string[];
  /** argv that prints the version, given the binary found */
  version: (bin: string) => string[];
  unit: string;
  pidFile: string | null;
}

export async function collectFacts(config: AgentConfig): Promise<Facts> {
  const [os, memory, disks, services, containers] = await Promise.all([
    osRelease(),
    meminfo(),
    diskFacts(config),
    Promise.all((await probes(config)).map((p) => serviceFact(config, p))),
    containerFacts(config),
  ]);
  return {
    hostname: hostname(),
    os: { ...os, kernel: release() },
    arch: arch(),
    cpus: availableParallelism(),
    memory,
    disks,
    services,
    systemd: config.systemd,
    containers,
    php: phpVersions(config),
    collectedAt: new Date().toISOString(),
  };
}

/** The engine's version and disk usage (loaded only when its socket exists). */
async function containerFacts(config: AgentConfig): Promise<Facts["containers"]> {
  const engine = config.containers.engine;
  if (!existsSync(config.containers.socket)) return { engine, version: null, diskUsage: null };
  const { engineFacts } = await import("./ops/containers/facts.ts");
  return engineFacts(config);
}

async function probes(config: AgentConfig): Promise<Probe[]> {
  const b = config.binaries;
  const v = (bin: string) => [bin, "--version"];
  return [
    {
      name: "nginx",
      bins: [config.nginx.bin],
      version: (bin) => [bin, "-v"],
      unit: config.nginx.unit,
      pidFile: config.nginx.pidFile,
    },
    {
      name: "php-fpm",
      bins: [config.phpFpm.bin, ...(await matching("/usr/sbin", /^php-fpm[\d.]*$/))],
      version: (bin) => [bin, "-v"],
      unit: config.phpFpm.unit,
      pidFile: config.phpFpm.pidFile,
    },
    {
      name: "mariadb",
      bins: [b.mariadb, b.mysqld],
      version: v,
      unit: "mariadb",
      pidFile: "/run/mysqld/mysqld.pid",
    },
    {
      name: "postgres",
      bins: await postgresBins(b.postgres),
      version: v,
      unit: "postgresql",
      pidFile: null,
    },
    {
      name: "postfix",
      bins: [b.postfix],
      version: () => [b.postconf, "-h", "mail_version"],
      unit: "postfix",
      pidFile: "/var/spool/postfix/pid/master.pid",
    },
    {
      name: "dovecot",
      bins: [b.dovecot],
      version: v,
      unit: "dovecot",
      pidFile: "/run/dovecot/master.pid",
    },
    {
      name: "rspamd",
      bins: [b.rspamd],
      version: v,
      unit: "rspamd",
      pidFile: config.mail.rspamd?.pidFile ?? "/run/rspamd/rspamd.pid",
    },
    {
      name: "clamd",
      bins: [b.clamd],
      version: v,
      unit: "clamav-daemon",
      pidFile: "/run/clamav/clamd.pid",
    },
    { name: "podman", bins: [b.podman], version: v, unit: "podman.socket", pidFile: null },
  ];
}

async function serviceFact(config: AgentConfig, p: Probe) {
  const bin = p.bins.find((f) => existsSync(f));
  if (!bin) return { name: p.name, installed: false, version: null, running: null };
  const [version, running] = await Promise.all([
    run(p.version(bin), { timeoutMs: 5000, maxOutput: 8192 })
      .then((r) => /\d+\.\d+(\.\d+)?/.exec(`${r.stdout}\n${r.stderr}`)?.[0] ?? null)
      .catch(() => null),
    config.systemd || p.pidFile
      ? isRunning(config, { unit: p.unit, pidFile: p.pidFile ?? "" }).catch(() => null)
      : Promise.resolve(null),
  ]);
  return { name: p.name, installed: true, version, running };
}

async function matching(dir: string, re: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => re.test(n)).map((n) => join(dir, n));
  } catch {
    return [];
  }
}

/** Debian keeps each major under /usr/lib/postgresql/<v>/bin/postgres: newest first. */
async function postgresBins(path: string): Promise<string[]> {
  const versions = await matching(path, /^\d+$/);
  if (versions.length === 0) return [path];
  return versions
    .sort((a, b) => Number(b.split("/").pop()) - Number(a.split("/").pop()))
    .map((d) => join(d, "bin", "postgres"));
}

async function osRelease() {
  const text = await readFile("/etc/os-release", "utf8").catch(() => "");
  const get = (k: string) => new RegExp(`^${k}=("?)(.*)\\1$`, "m").exec(text)?.[2]?.trim() ?? "";
  return {
    id: get("ID") || "unknown",
    name: get("PRETTY_NAME") || get("NAME"),
    version: get("VERSION_ID"),
  };
}

export async function meminfo() {
  const text = await readFile("/proc/meminfo", "utf8").catch(() => "");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  return { totalBytes: kb("MemTotal") * 1024, availableBytes: kb("MemAvailable") * 1024 };
}

async function diskFacts(config: AgentConfig) {
  const mounts = [...new Set(["/", config.sitesRoot, config.logDir, ...config.disks])];
  const out: Facts["disks"] = [];
  for (const mount of mounts) {
    try {
      const s = await statfs(mount);
      out.push({ mount, totalBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize });
    } catch {
      // a configured root that does not exist yet (no site made) is simply not reported
    }
  }
  return out;
}
