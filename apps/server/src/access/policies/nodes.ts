// Nodes are installation-wide infrastructure: global grants decide.
import { type Decision, holds } from "../decision.ts";
import type { Ctx } from "../types.ts";
import { GLOBAL, SYSTEM } from "./common.ts";

export const nodes = {
  /** list and read nodes */
  canRead: (ctx: Ctx): Decision => holds(ctx, GLOBAL, "read"),
  /** add nodes, issue enrollment tokens, revoke them */
  canManage: (ctx: Ctx): Decision => holds(ctx, GLOBAL, "admin"),
  /** widen what a node's sites may reach (outbound targets): every tenant on it gains */
  canConfigureOutbound: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
  /** choose the site whose certificate the node's FTPS serves (every tenant's FTP users see it) */
  canConfigureFtps: (ctx: Ctx): Decision => holds(ctx, GLOBAL, "admin"),
  /** replace a node's agent (root on the node) with another version: super users */
  canUpgradeAgent: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
};
