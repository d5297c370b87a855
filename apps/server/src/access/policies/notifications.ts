// Notification channels belong to an account (its admins manage them, its readers list them)
// or to the installation (account null): those may reach private addresses, so super users
// alone change them; global readers read them. Message templates are the installation's:
// global readers read them, super users edit them (the seed's "Mail templates").
import { anyOf, type Decision, holds, holdsOnSomeAccount } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx } from "../types.ts";
import { account, GLOBAL, SYSTEM } from "./common.ts";

/** The account a channel belongs to; null for an installation-wide channel. */
type Owner = string | null;

const COLUMNS = { account: "notification_channels.account_id" };

export const notificationChannels = {
  /** see a channel; refused means "does not exist" */
  canRead: (ctx: Ctx, owner: Owner): Decision =>
    owner === null ? holds(ctx, GLOBAL, "read") : holds(ctx, account(owner), "read"),
  /** create, change, delete, send a test on a channel of this owner */
  canManage: (ctx: Ctx, owner: Owner): Decision =>
    owner === null ? holds(ctx, SYSTEM, "system") : holds(ctx, account(owner), "admin"),
  /** create a channel somewhere: an account it administers, or the installation */
  canCreateSomewhere: (ctx: Ctx): Decision =>
    anyOf(holds(ctx, SYSTEM, "system"), holdsOnSomeAccount(ctx, "admin")),
  /** the channels a list shows (installation-wide ones to global readers) */
  listScope: (ctx: Ctx) => listFilter(ctx, "read", COLUMNS),
  /** index walks covering listScope's rows (its accounts); null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
};

export const messageTemplates = {
  /** list, read and preview the message templates */
  canRead: (ctx: Ctx): Decision => holds(ctx, GLOBAL, "read"),
  /** change or reset a message template */
  canEdit: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
};
