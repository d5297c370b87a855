import { z } from "zod";
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
  /** the 10 latest failures: failed tasks, and recurring ones whose last run failed */
  failedTasks: z.array(task),
  /** the 10 latest audit events one may read */
  recentAudit: z.array(auditEvent),
});
export type Dashboard = z.infer<typeof dashboard>;
