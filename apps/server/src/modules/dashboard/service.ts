// The dashboard: what the signed-in person may see, at a glance. Every part goes through the
// same access rules as its list endpoint: accounts and tasks by the SQL filters of their
// lists, audit events through the audit service itself, users and groups for super users.
import { countLimit, type Dashboard } from "@steward/contracts";
import { requireActor } from "../../access/decision.ts";
import { dashboard } from "../../access/policies/dashboard.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { countAccounts } from "../accounts/repo.ts";
import type { AuditService } from "../audit/service.ts";
import { countGroups } from "../groups/repo.ts";
import * as nodes from "../nodes/repo.ts";
import { toSummary } from "../nodes/view.ts";
import * as sites from "../sites/repo.ts";
import { toTask } from "../tasks/repo.ts";
import { countUsers } from "../users/repo.ts";
import * as repo from "./repo.ts";

export const DASHBOARD_LIMIT = 10;
/** nodes shown with their health */
export const DASHBOARD_NODES = 50;

const stateOrder = { unreachable: 0, pending: 1, trusted: 2, revoked: 3 } as const;

/** Nodes by state and each with its latest health, the unreachable ones first. */
async function nodeHealth(k: Db["db"]) {
  const [byState, rows] = await Promise.all([
    nodes.countByState(k),
    nodes.listNodes(k, { limit: DASHBOARD_NODES - 1 }),
  ]);
  const latest = await nodes.latestMetrics(
    k,
    rows.map((r) => r.id),
  );
  const items = rows
    .map((r) => toSummary(r, latest.get(r.id)))
    .sort((a, b) => stateOrder[a.state] - stateOrder[b.state] || a.name.localeCompare(b.name));
  return { byState, items };
}

export function createDashboardService(deps: { db: Db; audit: AuditService }) {
  const k = deps.db.db;
  return {
    async get(ctx: Ctx): Promise<Dashboard> {
      requireActor(ctx);
      const scope = dashboard.scope(ctx);
      const tasks = { where: scope.tasks, walks: scope.taskWalks };
      const [accounts, users, groups, taskCounts, failed, audit, byStatus, attention, nodeList] =
        await Promise.all([
          countAccounts(k, { where: scope.accounts, walks: scope.accountWalks }),
          scope.directory ? countUsers(k) : null,
          scope.directory ? countGroups(k) : null,
          repo.countTasksByState(k, tasks),
          repo.latestFailures(k, tasks, DASHBOARD_LIMIT),
          deps.audit.list(ctx, { limit: DASHBOARD_LIMIT }),
          sites.countByStatus(k, { where: scope.sites, walks: scope.siteWalks }),
          sites.needingAttention(k, scope.sites, DASHBOARD_LIMIT),
          scope.nodes ? nodeHealth(k) : null,
        ]);
      return {
        countLimit,
        counts: {
          accounts,
          users,
          groups,
          tasks: taskCounts.byState,
          schedules: taskCounts.schedules,
        },
        nodes: nodeList,
        sites: { byStatus, attention },
        failedTasks: failed.map(toTask),
        recentAudit: audit.items,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
