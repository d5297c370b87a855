import { z } from "zod";
import { backupPlan, backupRun } from "../backups/plans-api.ts";
import { auditEvent } from "./audit.ts";
import { nodeStates, nodeSummary } from "./nodes.ts";
import { site, siteStatus } from "./sites.ts";
import { task, type taskStates } from "./tasks.ts";

/**
 * Counts stop at this many and one more: that value means "more than countLimit" (the console
 * shows "1,000+"), so that a count reads at most that many rows.
 */
export const countLimit = 1000;
const count = z
  .number()
  .int()
  .describe(`at most ${countLimit + 1}, meaning more than ${countLimit}`);
/** How many tasks one may see, by state; queued counts work, not recurring schedules. */
export const taskStateCounts = z.object({
  queued: count,
  running: count,
  succeeded: count,
  failed: count,
  cancelled: count,
} satisfies Record<(typeof taskStates)[number], z.ZodNumber>);

/** The first page of the console: what the signed-in person may see, at a glance. */
export const dashboard = z.object({
  /** every count stops at this many and one more, which means "more than countLimit" */
  countLimit: z.number().int(),
  counts: z.object({
    /** accounts one may read */
    accounts: count,
    /** users and groups: super users only, else null */
    users: count.nullable(),
    groups: count.nullable(),
    tasks: taskStateCounts,
    /** recurring tasks waiting for their next occurrence (not work in a queue) */
    schedules: count,
  }),
  /** nodes by state and each with its health: for who may read nodes, else null */
  nodes: z
    .object({
      byState: z.object(
        Object.fromEntries(nodeStates.map((s) => [s, count])) as Record<
          (typeof nodeStates)[number],
          typeof count
        >,
      ),
      /** up to 50, the unreachable ones first */
      items: z.array(nodeSummary),
    })
    .nullable(),
  /** the sites one may see, by status, and the ones needing attention (failed first, then warned) */
  sites: z.object({
    byStatus: z.object(
      Object.fromEntries(siteStatus.options.map((s) => [s, count])) as Record<
        (typeof siteStatus.options)[number],
        typeof count
      >,
    ),
    attention: z.array(site),
  }),
  /** backups at a glance: the first 10 plans by name with their last run, last success and
   * what they keep; runs that failed or were partial in the last 24 hours */
  backups: z.object({
    plans: z.array(backupPlan),
    /** there are more plans than these */
    morePlans: z.boolean(),
    /** how many runs failed or were partial in the last 24 hours */
    failures: count,
    /** the 5 newest of them */
    failedRuns: z.array(backupRun),
  }),
  /** the 10 latest failures: failed tasks, and recurring ones whose last run failed */
  failedTasks: z.array(task),
  /** the 10 latest audit events one may read */
  recentAudit: z.array(auditEvent),
});
export type Dashboard = z.infer<typeof dashboard>;
