// Cron jobs: one file per system user that runs them, `crontab/<node>--<user>.yaml` (a job
// has no name; its user's crontab has one), with each job's schedule, command, environment,
// whether it is enabled and has a heartbeat monitor. A changed file is applied job by job: a
// job of the same schedule and command is kept (and changed in place), then one of the same
// command takes the new schedule, the rest are made or deleted. A job's heartbeat monitor is
// the panel's (its address is a new one on another panel): monitor files leave it out.
import type { CronJob } from "@steward/contracts/hosting";
import {
  type CrontabFile,
  type CrontabJob,
  crontabJobKey,
  crontabName,
  sortedJobs,
} from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, nameOf, type Refs } from "../kind.ts";

/** Every cron job the caller sees, but those being deleted. */
async function listJobs(api: Api) {
  return (await api.all<CronJob>("/api/v1/cron-jobs")).filter((j) => j.status !== "deleting");
}

/** The heartbeat monitors of cron jobs: made with their job, never by a monitor file. */
export async function heartbeatMonitors(api: Api): Promise<Set<string>> {
  const ids = (await listJobs(api)).map((j) => j.heartbeatMonitorId);
  return new Set(ids.filter((id) => id !== null));
}

const jobOf = (j: CronJob): CrontabJob => ({
  schedule: j.schedule,
  command: j.command,
  env: j.env,
  enabled: j.enabled,
  heartbeat: j.heartbeatMonitorId !== null,
});

const same = (a: CrontabJob, b: CrontabJob) => JSON.stringify(a) === JSON.stringify(b);

/** The jobs of one system user on the panel. */
const jobsOf = async (api: Api, userId: string) =>
  (await listJobs(api)).filter((j) => j.systemUserId === userId);

const remove = (api: Api, job: CronJob) =>
  api.send("DELETE", `/api/v1/cron-jobs/${job.id}?confirm=${encodeURIComponent(job.id)}`);

/** Makes one job of the file's user. */
async function create(api: Api, refs: Refs, file: CrontabFile, job: CrontabJob) {
  await api.send("POST", "/api/v1/cron-jobs", {
    account: idOf(refs.accounts, "account", file.account, "account"),
    systemUser: idOf(refs.systemUsers, "user", crontabName(file), "system user"),
    ...job,
  });
}

/**
 * Pairs the panel's jobs with the file's: the same schedule and command first, then the same
 * command alone (a new schedule); what is left is made or deleted.
 */
function pair(have: CronJob[], want: CrontabJob[]) {
  const pairs: [CronJob, CrontabJob][] = [];
  let left = [...have];
  let wanted = [...want];
  for (const key of [crontabJobKey, (j: Pick<CrontabJob, "command">) => j.command]) {
    const unpaired: CrontabJob[] = [];
    for (const w of wanted) {
      const match = left.find((h) => key(h) === key(w));
      if (match) {
        pairs.push([match, w]);
        left = left.filter((h) => h !== match);
      } else unpaired.push(w);
    }
    wanted = unpaired;
  }
  return { pairs, gone: left, made: wanted };
}

export const crontabs: KindOps<"crontab"> = {
  kind: "crontab",
  fixed: ["account", "node", "user"],
  refers: (f) => [
    { field: "account", to: "account", name: f.account },
    { field: "node", to: "node", name: f.node },
    { field: "user", to: "system user", name: crontabName(f) },
  ],
  async read(api: Api, refs: Refs) {
    const byUser = new Map<string, { id: string; file: CrontabFile }>();
    for (const j of await listJobs(api)) {
      const file = {
        account: nameOf(refs.accounts, j.accountId),
        node: nameOf(refs.nodes, j.nodeId),
      };
      const name = crontabName({ node: file.node, user: j.user });
      const tab = byUser.get(name) ?? {
        id: j.systemUserId,
        file: { ...file, user: j.user, jobs: [] },
      };
      tab.file.jobs.push(jobOf(j));
      byUser.set(name, tab);
    }
    for (const tab of byUser.values()) tab.file.jobs = sortedJobs(tab.file.jobs);
    return byUser;
  },
  async create(api, refs, file) {
    for (const job of file.jobs) await create(api, refs, file, job);
  },
  async update(api, refs, current, file) {
    const { pairs, gone, made } = pair(await jobsOf(api, current.id), file.jobs);
    for (const job of gone) await remove(api, job);
    for (const [job, want] of pairs)
      if (!same(jobOf(job), want))
        await api.send("PATCH", `/api/v1/cron-jobs/${job.id}`, {
          schedule: want.schedule,
          command: want.command,
          env: want.env,
          enabled: want.enabled,
          heartbeat: want.heartbeat,
        });
    for (const job of made) await create(api, refs, file, job);
  },
  async remove(api, current) {
    for (const job of await jobsOf(api, current.id)) await remove(api, job);
  },
};
