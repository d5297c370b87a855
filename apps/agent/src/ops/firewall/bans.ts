// fail2ban-style SSH bans (docs/firewall.md): while the applied rules ask for them, the agent
// reads what sshd appended to the node's auth log since the last read (from the start again
// when the file shrank: rotated), counts each address's failed logins within findSeconds, and
// puts an address reaching maxFailures into the `banned_v4`/`banned_v6` set with a timeout of
// banSeconds (nft expires it). The panel's addresses and loopback are never banned. The
// settings are <dir>/firewall/bans.json, written by firewall.apply.
import { open, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { SshBans } from "@steward/contracts/firewall";
import { classify, ipText, parseIp } from "@steward/contracts/net";
import { run } from "../../system/exec.ts";
import { atomicWrite, mkdirp, readIfExists } from "../../system/files.ts";
import { type FirewallConfig, firewallDir, nftArgv } from "./nft.ts";
import { FAMILY, TABLE } from "./render.ts";

export interface BanSettings extends SshBans {
  /** never banned: the panel's addresses */
  never: string[];
}

type Config = FirewallConfig & { firewall: { authLog: string; scanSeconds: number } };
type Log = (level: "info" | "warn" | "error", message: string) => void;

// sshd's lines for a failed login, the address in the first group
const FAILURES = [
  /sshd\[\d+\]: Failed \S+ for (?:invalid user )?\S* ?from (\S+) port \d+/,
  /sshd\[\d+\]: Invalid user \S* ?from (\S+)(?: port \d+)?/,
  /sshd\[\d+\]: Connection closed by (?:authenticating|invalid) user \S* ?(\S+) port \d+ \[preauth\]/,
];

interface State {
  offset: number;
  failures: Map<string, number[]>;
  timer: NodeJS.Timeout | null;
}
const states = new Map<string, State>();
const stateOf = (config: Config) => {
  let s = states.get(config.dir);
  if (!s) {
    s = { offset: 0, failures: new Map(), timer: null };
    states.set(config.dir, s);
  }
  return s;
};

const settingsPath = (config: FirewallConfig) => join(firewallDir(config), "bans.json");

/** Writes (or, with null, removes) the settings; the scanner follows them. */
export async function setBans(config: Config, settings: BanSettings | null, log: Log) {
  if (settings) {
    await mkdirp(firewallDir(config), { mode: 0o700 });
    await atomicWrite(settingsPath(config), JSON.stringify(settings), { mode: 0o600 });
  } else await rm(settingsPath(config), { force: true });
  await startBans(config, log);
}

async function readSettings(config: Config): Promise<BanSettings | null> {
  const raw = await readIfExists(settingsPath(config));
  return raw ? (JSON.parse(raw.toString("utf8")) as BanSettings) : null;
}

/** The failed logins' addresses in `text`, in order. */
export function failedLogins(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n"))
    for (const re of FAILURES) {
      const m = re.exec(line);
      const a = m?.[1] ? parseIp(m[1]) : null;
      if (a) {
        out.push(ipText(a));
        break;
      }
    }
  return out;
}

/** What the log gained since the last read (64 KiB at most a read). */
async function newText(config: Config, state: State): Promise<string> {
  let size: number;
  try {
    size = (await stat(config.firewall.authLog)).size;
  } catch {
    return "";
  }
  if (size < state.offset) state.offset = 0;
  if (size === state.offset) return "";
  const f = await open(config.firewall.authLog, "r");
  try {
    const length = Math.min(size - state.offset, 64 * 1024);
    const buf = Buffer.alloc(length);
    const { bytesRead } = await f.read(buf, 0, length, state.offset);
    const text = buf.subarray(0, bytesRead).toString("utf8");
    // a line cut at the end is read whole next time
    const end = text.lastIndexOf("\n") + 1;
    state.offset += Buffer.byteLength(text.slice(0, end));
    return text.slice(0, end);
  } finally {
    await f.close();
  }
}

/** One read of the log: bans what reached the limit; answers the addresses banned. */
export async function scanOnce(config: Config, log: Log, now = Date.now()): Promise<string[]> {
  const settings = await readSettings(config);
  const state = stateOf(config);
  if (!settings) return [];
  const banned: string[] = [];
  for (const address of failedLogins(await newText(config, state))) {
    const a = parseIp(address);
    if (!a || classify(a) === "loopback" || settings.never.includes(address)) continue;
    const seen = (state.failures.get(address) ?? []).filter(
      (t) => t > now - settings.findSeconds * 1000,
    );
    seen.push(now);
    state.failures.set(address, seen);
    if (seen.length < settings.maxFailures) continue;
    state.failures.delete(address);
    const set = a.kind() === "ipv4" ? "banned_v4" : "banned_v6";
    const element = `{ ${address} timeout ${settings.banSeconds}s }`;
    const r = await run(nftArgv(config, ["add", "element", FAMILY, TABLE, set, element]), {
      timeoutMs: 30_000,
    });
    if (r.exitCode !== 0) {
      log("error", `firewall: could not ban ${address}: ${r.stderr.trim().slice(0, 200)}`);
      continue;
    }
    log("warn", `firewall: banned ${address} for ${settings.banSeconds} s (failed SSH logins)`);
    banned.push(address);
  }
  return banned;
}

/** Starts (or stops, without settings) reading the log every scanSeconds. */
export async function startBans(config: Config, log: Log) {
  stopBans(config);
  const settings = await readSettings(config);
  if (!settings) return;
  const state = stateOf(config);
  // what the log held before is not this watch's business
  state.offset = await stat(config.firewall.authLog).then(
    (s) => s.size,
    () => 0,
  );
  const tick = () => {
    state.timer = setTimeout(() => {
      scanOnce(config, log)
        .catch((e) =>
          log("error", `firewall: reading ${config.firewall.authLog}: ${(e as Error).message}`),
        )
        .finally(() => {
          if (state.timer) tick();
        });
    }, config.firewall.scanSeconds * 1000);
  };
  tick();
}

export function stopBans(config: FirewallConfig) {
  const state = states.get(config.dir);
  if (state?.timer) clearTimeout(state.timer);
  if (state) state.timer = null;
}
