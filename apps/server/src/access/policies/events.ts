// Domain events: an account's events to its members (read and up, or a grant on the event's
// target); installation-level events (no account: nodes, the installation's tasks) to the
// super group only.
import { type Expression, type SqlBool, sql } from "kysely";
import { type Decision, decided, holds, requireActor } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx, Target } from "../types.ts";
import { account, SYSTEM } from "./common.ts";

export interface EventRef {
  account_id: string | null;
  target_type: string | null;
  target_id: string | null;
}

const COLUMNS = {
  account: "events.account_id",
  resource: { typeColumn: "events.target_type", id: "events.target_id" },
};

/** What an event is about for access control: its target within its account, else its account. */
function targetOf(event: EventRef): Target {
  const accountId = event.account_id;
  if (!accountId) return SYSTEM;
  if (event.target_type && event.target_id)
    return { kind: "resource", type: event.target_type, id: event.target_id, accountId };
  return account(accountId);
}

export const events = {
  /** list events at all (what it shows is listScope's) */
  canList: (ctx: Ctx): Decision => decided(ctx.actor !== null, "sign in or send an API key"),
  /** read one event; refused means "does not exist" */
  canRead: (ctx: Ctx, event: EventRef): Decision => holds(ctx, targetOf(event), "read"),
  /** the rows a list shows (the SQL form of canRead); null for all */
  listScope(ctx: Ctx): Expression<SqlBool> | null {
    requireActor(ctx);
    if (holds(ctx, SYSTEM, "read").allowed) return null;
    // a key narrowed to some accounts may pass listFilter whole: installation events stay out
    const where = listFilter(ctx, "read", COLUMNS);
    const accounts = sql<SqlBool>`events.account_id is not null`;
    return where ? sql<SqlBool>`(${where} and ${accounts})` : accounts;
  },
  /** index walks covering listScope's rows (its accounts and resources); null for all */
  listWalks(ctx: Ctx): Expression<SqlBool>[] | null {
    if (holds(ctx, SYSTEM, "read").allowed) return null;
    return listCover(ctx, "read", COLUMNS);
  },
};
