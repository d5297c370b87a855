// Monitors are resources of an account (a grant on the monitor, else on its account, decides),
// except the installation's own monitors (no account), which only super users see and manage:
// they may reach private addresses (the outbound policy of an installation-wide target).
import { type SqlBool, sql } from "kysely";
import { type Decision, holds, holdsOnSomeAccount } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx, Target } from "../types.ts";
import { account, SYSTEM } from "./common.ts";

export interface MonitorRef {
  id: string;
  account_id: string | null;
}

const target = (monitor: MonitorRef & { account_id: string }): Target => ({
  kind: "resource",
  type: "monitor",
  id: monitor.id,
  accountId: monitor.account_id,
});

const COLUMNS = {
  account: "monitors.account_id",
  resource: { type: "monitor", id: "monitors.id" },
};

const installation = (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system");

const on = (role: "read" | "admin") => (ctx: Ctx, monitor: MonitorRef) =>
  monitor.account_id === null
    ? installation(ctx)
    : holds(ctx, target({ ...monitor, account_id: monitor.account_id }), role);

export const monitors = {
  /** see a monitor and its results; refused means "does not exist" */
  canRead: on("read"),
  /** change, pause, resume, check now, delete a monitor */
  canManage: on("admin"),
  /** create a monitor in an account */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** create an installation monitor (no account; may reach private addresses) */
  canCreateInstallation: installation,
  /** create a monitor in some account (what the console offers) */
  canCreateSomewhere: (ctx: Ctx): Decision => holdsOnSomeAccount(ctx, "admin"),
  /** the monitors a list shows: the installation's only to super users */
  listScope: (ctx: Ctx) => {
    const where = listFilter(ctx, "read", COLUMNS);
    if (installation(ctx).allowed) return where;
    const accounts = sql<SqlBool>`monitors.account_id is not null`;
    return where ? sql<SqlBool>`(${where} and ${accounts})` : accounts;
  },
  /** index walks covering listScope's rows (its accounts and monitors); null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
};
