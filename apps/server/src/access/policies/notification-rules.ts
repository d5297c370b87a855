// Notification rules belong to an account (its admins manage them, its readers read them) or
// to the installation (account null: they see every account's events, so super users alone
// manage them; global readers read them). A delivery is read by who may read its channel.
import { type Decision, holds } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx } from "../types.ts";
import { GLOBAL, SYSTEM } from "./common.ts";
import { notificationChannels } from "./notifications.ts";

const COLUMNS = { account: "notification_rules.account_id" };

export const notificationRules = {
  /** see a rule; refused means "does not exist" (as a channel of the same owner) */
  canRead: notificationChannels.canRead,
  /** create, change, delete a rule of this owner (as a channel of the same owner) */
  canManage: notificationChannels.canManage,
  /** the rules a list shows (installation-wide ones to global readers) */
  listScope: (ctx: Ctx) => listFilter(ctx, "read", COLUMNS),
  /** index walks covering listScope's rows (its accounts); null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
  /** the installation's emergency contact: read by global readers, set by super users */
  canReadSettings: (ctx: Ctx): Decision => holds(ctx, GLOBAL, "read"),
  canEditSettings: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
};
