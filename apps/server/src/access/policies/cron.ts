// Cron jobs of hosting accounts (issue 19, docs/hosting.md#cron-jobs) are resources of their
// account: a grant on the job, else on its account, decides. The account's readers see the
// jobs and their last run, its admins create, change, delete and run them now.
import { type Decision, holds } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx, Target } from "../types.ts";
import { account } from "./common.ts";

export interface CronJobRef {
  id: string;
  account_id: string;
}

const target = (j: CronJobRef): Target => ({
  kind: "resource",
  type: "cron-job",
  id: j.id,
  accountId: j.account_id,
});

const COLUMNS = { account: "cron_jobs.account_id" };

export const cronJobs = {
  /** see a job, its last run (and its task's output); refused means "does not exist" */
  canRead: (ctx: Ctx, j: CronJobRef): Decision => holds(ctx, target(j), "read"),
  /** change, delete, run now */
  canManage: (ctx: Ctx, j: CronJobRef): Decision => holds(ctx, target(j), "admin"),
  /** create cron jobs in an account */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** see an account's jobs (to create one: else the account "does not exist") */
  canListIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "read"),
  /** the jobs a list shows */
  listScope: (ctx: Ctx) => listFilter(ctx, "read", COLUMNS),
  /** index walks covering listScope's rows (its accounts); null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
};
