// A hermetic authoritative DNS server: Debian's BIND 9 (`named -g`) with its own directory in
// a temp dir, one or more static zones, listening on 127.0.0.1 and a random port (UDP and
// TCP), no recursion. As root it runs as nobody. With `control: true` it also has rndc (a key
// and a control channel on another random port; `rndcConf` for `rndc -c`) and includes a file
// the test (or the agent) writes zones into.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Resolver } from "node:dns/promises";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { missing, unprivilegedUser } from "./system.ts";

export interface DnsOptions {
  /** zone name → its records as zone-file lines ("www IN A 192.0.2.10"); SOA and NS added */
  zones: Record<string, string[]>;
  /** rndc through a control channel, and an include file for more zones */
  control?: boolean;
}

export interface DnsServer {
  address: string;
  port: number;
  /** "127.0.0.1:port", as a monitor's resolver is written */
  resolver: string;
  dir: string;
  /** with `control`: rndc's configuration, and a directory whose zones.conf named includes */
  rndcConf?: string;
  zoneDir?: string;
  stop(): Promise<void>;
}

/** A key and a control channel for rndc: named.conf's lines, and rndc.conf's text. */
async function controlChannel(address: string) {
  const port = await freePort();
  const key = `key "steward-rndc" { algorithm hmac-sha256; secret "${randomBytes(32).toString("base64")}"; };`;
  return {
    named: [
      key,
      `controls { inet ${address} port ${port} allow { ${address}; } keys { "steward-rndc"; }; };`,
    ],
    rndc: [
      key,
      `options { default-key "steward-rndc"; default-server ${address}; default-port ${port}; };`,
      "",
    ].join("\n"),
  };
}

export function namedBin(): string | null {
  const bin = process.env.STEWARD_NAMED_BIN ?? "/usr/sbin/named";
  return existsSync(bin) ? bin : null;
}

const zoneFile = (zone: string, records: string[]) =>
  [
    `$ORIGIN ${zone}.`,
    "$TTL 60",
    `@ IN SOA ns.${zone}. hostmaster.${zone}. 1 60 60 3600 60`,
    `@ IN NS ns.${zone}.`,
    "ns IN A 127.0.0.1",
    ...records,
    "",
  ].join("\n");

export async function startDns(opts: DnsOptions): Promise<DnsServer | null> {
  const bin = namedBin();
  if (!bin) return missing("BIND (named)", "apt-get install bind9");
  const port = await freePort();
  const address = "127.0.0.1";
  const dir = mkdtempSync(join(tmpdir(), "steward-dns-"));
  const user = process.getuid?.() === 0 ? unprivilegedUser(["nobody"]) : null;
  const zones = Object.entries(opts.zones).map(([zone, records]) => {
    const file = join(dir, `${zone}.zone`);
    writeFileSync(file, zoneFile(zone, records));
    return `zone "${zone}" { type primary; file "${file}"; };`;
  });
  const control = opts.control ? await controlChannel(address) : null;
  const rndcConf = control ? join(dir, "rndc.conf") : undefined;
  const zoneDir = control ? join(dir, "steward") : undefined;
  const includeFile = zoneDir ? join(zoneDir, "zones.conf") : undefined;
  if (rndcConf && control) writeFileSync(rndcConf, control.rndc, { mode: 0o600 });
  if (zoneDir && includeFile) {
    mkdirSync(zoneDir, { mode: 0o755 });
    writeFileSync(includeFile, "", { mode: 0o644 });
  }
  const conf = join(dir, "named.conf");
  writeFileSync(
    conf,
    [
      "options {",
      `  directory "${dir}";`,
      `  listen-on port ${port} { ${address}; };`,
      "  listen-on-v6 { none; };",
      "  pid-file none;",
      `  session-keyfile "${join(dir, "session.key")}";`,
      "  recursion no;",
      "  dnssec-validation no;",
      "  allow-query { any; };",
      "};",
      ...(control?.named ?? ["controls { };"]),
      ...zones,
      ...(includeFile ? [`include "${includeFile}";`] : []),
      "",
    ].join("\n"),
  );
  chmodSync(dir, 0o755);
  if (user) chownSync(dir, user.uid, user.gid);
  const args = ["-g", "-c", conf, ...(user ? ["-u", user.name] : [])];
  const { child, log, stop } = serverProcess(bin, args, dir);
  try {
    await ready(address, port, Object.keys(opts.zones)[0] ?? "", child);
  } catch (error) {
    await stop();
    throw new Error(`named did not start: ${(error as Error).message}\n${log()}`);
  }
  return { address, port, resolver: `${address}:${port}`, dir, rndcConf, zoneDir, stop };
}

/** Waits until the server answers the first zone's SOA (up to 10 s). */
async function ready(address: string, port: number, zone: string, child: ChildProcess) {
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`${address}:${port}`]);
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) throw new Error(`it exited with ${child.exitCode}`);
    try {
      await resolver.resolveSoa(zone);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error("no answer within 10 s");
}

/** A server's process: its stderr's last 4000 characters, and a stop that ends it (SIGTERM,
 * SIGKILL after 5 s) and removes its directory. */
export function serverProcess(bin: string, args: string[], dir: string) {
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const stop = async () => {
    await exitOf(child);
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, log: () => log, stop };
}

async function exitOf(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
