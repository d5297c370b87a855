// The dashboard: what the signed-in person may see, at a glance. Every part goes through the
// same access rules as its list endpoint: accounts and tasks by the SQL filters of their
// lists, audit events through the audit service itself, users and groups for super users.
import { countLimit, type Dashboard } from "@steward/contracts";
import { requireActor } from "../../access/decision.ts";
import { backups as backupPolicy } from "../../access/policies/backups.ts";
import { dashboard } from "../../access/policies/dashboard.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { countAccounts } from "../accounts/repo.ts";
import type { AuditService } from "../audit/service.ts";
import { failuresSince } from "../backups/activity-repo.ts";
import type { PlansService } from "../backups/plans-service.ts";
import { toRun } from "../backups/runs-repo.ts";
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
/** backup plans shown, and failed or partial runs of the last 24 hours */
export const DASHBOARD_PLANS = 10;
export const DASHBOARD_BACKUP_FAILURES = 5;

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

export function createDashboardService(deps: {
  db: Db;
  audit: AuditService;
  backupPlans: PlansService;
}) {
  const k = deps.db.db;

  /** The first plans by name with what they did and keep; the failures of the last 24 hours. */
  async function backupsAtAGlance(ctx: Ctx) {
    const [shown, failures] = await Promise.all([
      deps.backupPlans.list(ctx, { limit: DASHBOARD_PLANS, sort: "name" }),
      failuresSince(
        k,
        backupPolicy.listScope(ctx, "backup_runs"),
        Date.now() - 24 * 3600_000,
        DASHBOARD_BACKUP_FAILURES,
      ),
    ]);
    return {
      plans: shown.items,
      morePlans: shown.nextCursor !== null,
      failures: failures.count,
      failedRuns: failures.runs.map(toRun),
    };
  }

  return {
    async get(ctx: Ctx): Promise<Dashboard> {
      requireActor(ctx);
      const scope = dashboard.scope(ctx);
      const tasks = { where: scope.tasks, walks: scope.taskWalks };
      const [
        accounts,
        users,
        groups,
        taskCounts,
        failed,
        audit,
        byStatus,
        attention,
        nodeList,
        backups,
      ] = await Promise.all([
        countAccounts(k, { where: scope.accounts, walks: scope.accountWalks }),
        scope.directory ? countUsers(k) : null,
        scope.directory ? countGroups(k) : null,
        repo.countTasksByState(k, tasks),
        repo.latestFailures(k, tasks, DASHBOARD_LIMIT),
        deps.audit.list(ctx, { limit: DASHBOARD_LIMIT }),
        sites.countByStatus(k, { where: scope.sites, walks: scope.siteWalks }),
        sites.needingAttention(k, scope.sites, DASHBOARD_LIMIT),
        scope.nodes ? nodeHealth(k) : null,
        backupsAtAGlance(ctx),
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
        backups,
        failedTasks: failed.map(toTask),
        recentAudit: audit.items,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
