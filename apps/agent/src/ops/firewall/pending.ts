// The safe apply's revert timer (like iptables-apply), on the agent so that it holds when the
// panel loses the node: an apply keeps the previous table in <dir>/firewall/pending.json and
// puts it back by itself at revertAt unless firewall.confirm arrives with the token first.
// An agent that starts with a pending file (it stopped or the machine rebooted meanwhile)
// reverts when the time has come, or waits for the rest of it.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { run } from "../../system/exec.ts";
import { atomicWrite, mkdirp, readIfExists } from "../../system/files.ts";
import { type FirewallConfig, firewallDir, nftArgv } from "./nft.ts";
import { REPLACE_HEAD } from "./render.ts";

export interface PendingFile {
  token: string;
  /** epoch ms */
  revertAt: number;
  /** `nft -s list table inet steward` before the apply; null: there was none */
  previous: string | null;
}

type Log = (level: "info" | "warn" | "error", message: string) => void;

/** one per agent directory: several agents may share a process (tests) */
const timers = new Map<string, NodeJS.Timeout>();

/** the timer's revert and a confirmation never run at once (per agent directory) */
const queues = new Map<string, Promise<unknown>>();
function serial<T>(config: FirewallConfig, fn: () => Promise<T>): Promise<T> {
  const next = (queues.get(config.dir) ?? Promise.resolve()).then(fn, fn);
  queues.set(
    config.dir,
    next.catch(() => undefined),
  );
  return next;
}

const pendingPath = (config: FirewallConfig) => join(firewallDir(config), "pending.json");

export async function readPending(config: FirewallConfig): Promise<PendingFile | null> {
  const raw = await readIfExists(pendingPath(config));
  return raw ? (JSON.parse(raw.toString("utf8")) as PendingFile) : null;
}

/** Puts the previous table back (none: removes Steward's table). */
export async function restoreTable(config: FirewallConfig, previous: string | null) {
  const file = join(firewallDir(config), "revert.nft");
  await atomicWrite(file, `${REPLACE_HEAD}${previous ?? ""}`, { mode: 0o600 });
  const r = await run(nftArgv(config, ["-f", file]), { timeoutMs: 30_000 });
  if (r.exitCode !== 0)
    throw new Error(`nft refused the previous table: ${r.stderr.trim().slice(0, 300)}`);
}

/** Reverts a pending apply now (its time has come, or the apply failed). */
export function revertPending(config: FirewallConfig, log: Log) {
  stopTimer(config);
  return serial(config, async () => {
    const p = await readPending(config);
    if (!p) return false;
    await restoreTable(config, p.previous);
    await rm(pendingPath(config), { force: true });
    log("warn", "firewall: the previous rules are back (no confirmation in time, or a failure)");
    return true;
  });
}

function startTimer(config: FirewallConfig, revertAt: number, log: Log) {
  stopTimer(config);
  const timer = setTimeout(
    () => {
      timers.delete(config.dir);
      revertPending(config, log).catch((e) =>
        log("error", `firewall: the revert failed: ${(e as Error).message}`),
      );
    },
    Math.max(0, revertAt - Date.now()),
  );
  timers.set(config.dir, timer);
}

/** Keeps `previous` and starts the timer: the token confirms. */
export async function arm(
  config: FirewallConfig,
  previous: string | null,
  seconds: number,
  log: Log,
): Promise<PendingFile> {
  await mkdirp(firewallDir(config), { mode: 0o700 });
  const p: PendingFile = {
    token: randomBytes(18).toString("base64url"),
    revertAt: Date.now() + seconds * 1000,
    previous,
  };
  await atomicWrite(pendingPath(config), JSON.stringify(p), { mode: 0o600 });
  startTimer(config, p.revertAt, log);
  return p;
}

/** Drops the pending apply without reverting (confirmed, or nothing changed). */
export async function disarm(config: FirewallConfig) {
  stopTimer(config);
  await rm(pendingPath(config), { force: true });
}

/** Keeps the pending apply whose token this is; false when there is none (reverted already). */
export function confirmPending(config: FirewallConfig, token: string): Promise<boolean> {
  return serial(config, async () => {
    const p = await readPending(config);
    if (!p || p.token !== token) return false;
    await disarm(config);
    return true;
  });
}

export function stopTimer(config: FirewallConfig) {
  const t = timers.get(config.dir);
  if (t) clearTimeout(t);
  timers.delete(config.dir);
}

/** At the agent's start: a pending apply left by the previous process reverts in time. */
export async function resumePending(config: FirewallConfig, log: Log) {
  const p = await readPending(config);
  if (p) startTimer(config, p.revertAt, log);
}
