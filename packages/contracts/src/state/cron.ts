// A system user's cron jobs as one file (`crontab/<node>--<user>.yaml`: a job has no name of
// its own, the user's crontab has one), with the cron jobs API's own validators. The jobs are
// kept in one order (by command, then schedule) so that a file listing them otherwise plans
// no change; two jobs with the same schedule and command are refused (one is enough).
import { z } from "zod";
import { nodeName } from "../api/nodes.ts";
import { cronCommand, cronDSchedule, cronEnv } from "../hosting/cron.ts";
import { sysUserName } from "../hosting/names.ts";
import { slug } from "../validators.ts";

/** `web-1--shop`: the node and the system user the jobs run as. */
export const crontabName = (c: { node: string; user: string }) => `${c.node}--${c.user}`;

export const crontabJob = z.strictObject({
  schedule: cronDSchedule,
  command: cronCommand,
  env: cronEnv.default({}),
  enabled: z.boolean().default(true),
  /** a heartbeat monitor of the account for the job (made by the panel, never a monitor file) */
  heartbeat: z.boolean().default(false),
});
export type CrontabJob = z.infer<typeof crontabJob>;

/** What identifies a job in its crontab: its schedule and command. */
export const crontabJobKey = (j: Pick<CrontabJob, "schedule" | "command">) =>
  `${j.command}\u0000${j.schedule}`;

/** The jobs in the one order files keep them in. */
export const sortedJobs = <J extends Pick<CrontabJob, "schedule" | "command">>(jobs: J[]) =>
  [...jobs].sort((a, b) => (crontabJobKey(a) < crontabJobKey(b) ? -1 : 1));

export const crontabFile = z
  .strictObject({
    account: slug,
    node: nodeName,
    /** the system user's name on the node */
    user: sysUserName,
    jobs: z
      .array(crontabJob)
      .min(1, "must hold at least one job (delete the file to remove them all)")
      .max(500, "must hold at most 500 jobs"),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.jobs.forEach((j, i) => {
      if (seen.has(crontabJobKey(j)))
        ctx.addIssue({
          code: "custom",
          path: ["jobs", i],
          message: "repeats another job's schedule and command",
        });
      seen.add(crontabJobKey(j));
    });
  })
  .transform((c) => ({ ...c, jobs: sortedJobs(c.jobs) }));
export type CrontabFile = z.infer<typeof crontabFile>;
