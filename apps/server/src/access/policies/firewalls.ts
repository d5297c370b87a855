// A node's firewall (issue 19) guards a machine every tenant shares and can cut the panel off
// it: super users only, to read as to change.
import { type Decision, holds } from "../decision.ts";
import type { Ctx } from "../types.ts";
import { SYSTEM } from "./common.ts";

const installation = (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system");

export const firewalls = {
  /** see a node's rules, blocked addresses and the state of their apply */
  canRead: installation,
  /** save and apply rules, confirm an apply, unblock an address */
  canManage: installation,
};
