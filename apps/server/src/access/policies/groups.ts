// Groups and their members belong to the super group; the super group itself is immutable.

import { type Decision, holds } from "../decision.ts";
import { SUPER_GROUP } from "../service.ts";
import type { Ctx } from "../types.ts";
import { SYSTEM } from "./common.ts";

export const groups = {
  /** create, rename, delete groups and change their members */
  canManage: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
};

/** The built-in super group: admin everywhere, so it takes no grants. */
export const isSuperGroup = (groupId: string) => groupId === SUPER_GROUP;
