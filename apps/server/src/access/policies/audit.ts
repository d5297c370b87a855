// The audit log: the super group reads all of it; anyone else their own actions and the
// events of accounts they administer.
import { type Expression, type SqlBool, sql } from "kysely";
import { type Decision, decided, holds, requireActor } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx } from "../types.ts";
import { account, SYSTEM } from "./common.ts";

export interface EventRef {
  accountId: string | null;
  actorId: string | null;
}

/** The id events record for the caller: its API key's when it uses one, else its user's. */
const actorIdOf = (ctx: Ctx) =>
  ctx.actor?.type === "api_key" ? ctx.actor.keyId : (ctx.actor?.userId ?? null);

const ownActions = (ctx: Ctx) => sql<SqlBool>`audit_events.actor_id = ${actorIdOf(ctx)}`;

export const audit = {
  /** read the audit log at all (what it shows is listScope's) */
  canList: (ctx: Ctx): Decision => decided(ctx.actor !== null, "sign in or send an API key"),
  /** read every event */
  canReadAll: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
  /** read one event: the form of listScope for a single row */
  canRead: (ctx: Ctx, event: EventRef): Decision =>
    decided(
      audit.canReadAll(ctx).allowed ||
        (event.actorId !== null && event.actorId === actorIdOf(ctx)) ||
        (event.accountId !== null && holds(ctx, account(event.accountId), "admin").allowed),
      "this is not your event nor one of an account you administer",
    ),
  /** the events a list shows; null for all */
  listScope(ctx: Ctx): Expression<SqlBool> | null {
    requireActor(ctx);
    if (audit.canReadAll(ctx).allowed) return null;
    const accounts = listFilter(ctx, "admin", { account: "audit_events.account_id" });
    return sql<SqlBool>`(${accounts} or audit_events.actor_id = ${actorIdOf(ctx)})`;
  },
  /** index walks covering listScope's rows: its accounts, its own actions; null for all */
  listWalks(ctx: Ctx): Expression<SqlBool>[] | null {
    if (audit.canReadAll(ctx).allowed) return null;
    const accounts = listCover(ctx, "admin", { account: "audit_events.account_id" });
    return accounts && [...accounts, ownActions(ctx)];
  },
  /**
   * The walks of a list the request narrows to one account, actor or target (each already a
   * walk of its own index): null when the filter's walk alone holds only rows the caller may
   * see; else the part of listWalks the filter leaves, each walked with the filter along
   * (actor, account, id) (migration 020). An account the caller does not administer shows it
   * its own actions there (its walk of the account read and dropped every other event: 60 ms
   * a page with 1M), another user's actions are those in the caller's accounts.
   */
  narrowWalks(
    ctx: Ctx,
    filter: { account?: string; actor?: string; target?: string },
  ): Expression<SqlBool>[] | null {
    if (audit.canReadAll(ctx).allowed) return null;
    const me = actorIdOf(ctx);
    const mine = filter.actor === undefined || filter.actor === me;
    if (filter.account !== undefined) {
      if (holds(ctx, account(filter.account), "admin").allowed) return null;
      return mine ? [ownActions(ctx)] : [];
    }
    // another's actions: those in the caller's accounts (its own actions' walk finds none)
    if (filter.actor !== undefined)
      return mine ? null : listCover(ctx, "admin", { account: "audit_events.account_id" });
    // one target's events are few: its walk, the scope deciding
    return filter.target === undefined ? audit.listWalks(ctx) : null;
  },
};
