// The local agent's pid file and the search for an orphan: an agent left running by a `serve`
// that died without stopping it (an older version, or one killed before its child noticed)
// holds the agent's port, and its successor would crash-loop on EADDRINUSE.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** Whether the process runs (a zombie, dead but not yet reaped, does not). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** The command line of a process, or null when it is gone (or this is not Linux). */
function commandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return null;
  }
}

const pidIn = (file: string): number | null => {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
};

export const writePidFile = (file: string, pid: number) =>
  writeFileSync(file, `${pid}\n`, { mode: 0o600 });
export const removePidFile = (file: string) => rmSync(file, { force: true });

/**
 * Stops the agent named in the pid file if it still runs and really is our agent: its command
 * line runs `cliMain agent` on this agent directory (a pid reused by another program is left
 * alone). SIGTERM, then SIGKILL after `graceMs`. Returns the pid it stopped, or null.
 */
export async function replaceOrphan(
  file: string,
  cliMain: string,
  agentDir: string,
  graceMs = 5_000,
): Promise<number | null> {
  const pid = pidIn(file);
  removePidFile(file);
  if (pid === null || pid === process.pid || !alive(pid)) return null;
  const argv = commandLine(pid);
  if (!argv) return null;
  const dirAt = argv.indexOf("--dir");
  const ours =
    argv.includes(cliMain) && argv.includes("agent") && dirAt > 0 && argv[dirAt + 1] === agentDir;
  if (!ours) return null;
  process.kill(pid, "SIGTERM");
  for (let waited = 0; alive(pid) && waited < graceMs; waited += 50) await sleep(50);
  if (alive(pid)) process.kill(pid, "SIGKILL");
  for (let waited = 0; alive(pid) && waited < graceMs; waited += 50) await sleep(50);
  return pid;
}
