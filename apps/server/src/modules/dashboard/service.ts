// The dashboard: what the signed-in person may see, at a glance. Every part goes through the
// same access rules as its list endpoint: accounts and tasks by the SQL filters of their
// lists, audit events through the audit service itself, users and groups for super users.
import type { Dashboard } from "@steward/contracts";
import { allows } from "../../access/policy.ts";
import { listFilter } from "../../access/service.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { AppError } from "../../lib/errors.ts";
import type { Registry } from "../../tasks/registry.ts";
import { countAccounts } from "../accounts/repo.ts";
import type { AuditService } from "../audit/service.ts";
import { countGroups } from "../groups/repo.ts";
import { toTask } from "../tasks/repo.ts";
import { visibleTasks } from "../tasks/rules.ts";
import { countUsers } from "../users/repo.ts";
import * as repo from "./repo.ts";

export const DASHBOARD_LIMIT = 10;

export function createDashboardService(deps: { db: Db; registry: Registry; audit: AuditService }) {
  const k = deps.db.db;
  return {
    async get(ctx: Ctx): Promise<Dashboard> {
      const actor = ctx.actor;
      if (!actor) throw new AppError("UNAUTHENTICATED", "sign in or send an API key");
      // users and groups are the super group's (a super user's key narrowed to reading is not)
      const system = allows(actor, ctx.grants, { kind: "system" }, "admin");
      const tasksVisible = visibleTasks(ctx, deps.registry);
      const [accounts, users, groups, tasks, failed, audit] = await Promise.all([
        countAccounts(k, listFilter(ctx, "read", { account: "accounts.id" })),
        system ? countUsers(k) : null,
        system ? countGroups(k) : null,
        repo.countTasksByState(k, tasksVisible),
        repo.latestFailures(k, tasksVisible, DASHBOARD_LIMIT),
        deps.audit.list(ctx, { limit: DASHBOARD_LIMIT }),
      ]);
      return {
        counts: { accounts, users, groups, tasks },
        failedTasks: failed.map(toTask),
        recentAudit: audit.items,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
