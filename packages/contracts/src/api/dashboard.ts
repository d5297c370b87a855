import { z } from "zod";
import { auditEvent } from "./audit.ts";
import { task, type taskStates } from "./tasks.ts";

const count = z.number().int();
/** How many tasks one may see, by state. */
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
  }),
  /** the 10 latest failures: failed tasks, and recurring ones whose last run failed */
  failedTasks: z.array(task),
  /** the 10 latest audit events one may read */
  recentAudit: z.array(auditEvent),
});
export type Dashboard = z.infer<typeof dashboard>;
