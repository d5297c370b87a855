// The accounts whose cron.d file does not run this agent's cron-exec (docs/hosting.md#cron-files-from-before):
// a file written before scheduled runs went through cron-exec (`schedule user command`), or by an
// agent started from another path. The health answer names them (`cronStale`) and the panel
// applies each such account's jobs again; cron.apply rewrites the file, which then matches.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AgentConfig } from "../../config.ts";
import { cronExecArgv, cronFileName } from "./render.ts";

/** at most this many in one health answer: the next ones come once these are applied */
export const STALE_REPORTED = 100;
const FILE = new RegExp(`^${cronFileName("([A-Za-z0-9_-]{1,64})")}$`);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Whether every job line of an account's file starts this agent's cron-exec for the account. */
export function runsCronExec(text: string, account: string, exec: string[]): boolean {
  const wanted = ` root ${[...exec, account].join(" ")} `;
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#") && !ASSIGNMENT.test(l))
    .every((l) => l.includes(wanted));
}

/** The accounts (their ids) whose file in hosting.cronDir does not, oldest names first. */
export async function staleCronAccounts(
  config: Pick<AgentConfig, "dir"> & {
    hosting: Pick<AgentConfig["hosting"], "cronDir" | "cronExec">;
  },
): Promise<string[]> {
  let exec: string[];
  let names: string[];
  try {
    exec = cronExecArgv(config);
    names = await readdir(config.hosting.cronDir);
  } catch {
    // no cron.d, or an agent path cron.d cannot hold (cron.apply says so): nothing to compare
    return [];
  }
  const stale: string[] = [];
  for (const name of names.sort()) {
    const account = FILE.exec(name)?.[1];
    if (!account) continue;
    const text = await readFile(join(config.hosting.cronDir, name), "utf8").catch(() => null);
    if (text !== null && !runsCronExec(text, account, exec)) stale.push(account);
    if (stale.length === STALE_REPORTED) break;
  }
  return stale;
}
