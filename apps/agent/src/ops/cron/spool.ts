// The agent's cron files (docs/hosting.md#scheduled-runs-reported-back), all under its own
// root-only directory (0700): each job's definition as cron-exec reads it
// (<dir>/cron/jobs/<account>/<job>.json, 0600: the heartbeat token never is in the
// world-readable cron.d file) and the spool of scheduled runs' results
// (<dir>/cron/spool/<ms>-<random>.json, 0600) that cron.collect hands to the panel.
import { randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { type CronRunRecord, cronRunRecord } from "@steward/contracts/hosting";
import type { AgentConfig } from "../../config.ts";
import { atomicWrite, mkdirp, readIfExists } from "../../system/files.ts";

type Dir = Pick<AgentConfig, "dir">;

/** The spool keeps at most this many runs (the oldest go first) while the panel is away. */
export const SPOOL_MAX = 5000;
const ENTRY = /^[0-9]{13}-[a-f0-9]{12}\.json$/;

export const cronJobsDir = (config: Dir, accountId: string) =>
  join(config.dir, "cron", "jobs", accountId);
export const cronJobFile = (config: Dir, accountId: string, jobId: string) =>
  join(cronJobsDir(config, accountId), `${jobId}.json`);
const spoolDir = (config: Dir) => join(config.dir, "cron", "spool");

/** The spool's entries, oldest first. */
export async function spoolEntries(config: Dir): Promise<string[]> {
  try {
    return (await readdir(spoolDir(config))).filter((n) => ENTRY.test(n)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

export const newSpoolId = () => `${Date.now()}-${randomBytes(6).toString("hex")}`;

/** Keeps a run's result (0600 root), dropping the oldest beyond SPOOL_MAX. */
export async function spoolRun(config: Dir, record: CronRunRecord) {
  await mkdirp(spoolDir(config), { mode: 0o700 });
  await atomicWrite(join(spoolDir(config), `${record.id}.json`), JSON.stringify(record), {
    mode: 0o600,
  });
  const all = await spoolEntries(config);
  for (const old of all.slice(0, Math.max(0, all.length - SPOOL_MAX)))
    await rm(join(spoolDir(config), old), { force: true });
}

/** Removes the acknowledged runs, then answers the oldest `limit` and how many more wait. */
export async function takeSpool(config: Dir, ack: readonly string[], limit: number) {
  for (const id of ack) await rm(join(spoolDir(config), `${id}.json`), { force: true });
  const names = await spoolEntries(config);
  const runs: CronRunRecord[] = [];
  for (const name of names.slice(0, limit)) {
    const raw = await readIfExists(join(spoolDir(config), name));
    const ok = raw ? cronRunRecord.safeParse(JSON.parse(raw.toString("utf8"))) : null;
    // an entry that is not a run (cut short by a crash) is dropped rather than answered forever
    if (ok?.success) runs.push(ok.data);
    else await rm(join(spoolDir(config), name), { force: true });
  }
  return { runs, more: Math.max(0, names.length - limit) };
}
