// The dashboard shows each part through the rules of its own list.
import type { Ctx } from "../types.ts";
import { accounts } from "./accounts.ts";
import { nodes } from "./nodes.ts";
import { sites } from "./sites.ts";
import { tasks } from "./tasks.ts";
import { users } from "./users.ts";

export const dashboard = {
  /** what the dashboard counts and lists for the caller */
  scope: (ctx: Ctx) => ({
    accounts: accounts.listScope(ctx),
    accountWalks: accounts.listWalks(ctx),
    tasks: tasks.listScope(ctx),
    taskWalks: tasks.listWalks(ctx),
    /** users and groups are counted for the super group (not for a super key narrowed to reading) */
    directory: users.canManage(ctx).allowed,
    sites: sites.listScope(ctx),
    siteWalks: sites.listWalks(ctx),
    /** nodes and their health, for who may read nodes */
    nodes: nodes.canRead(ctx).allowed,
  }),
};
