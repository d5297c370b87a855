// Backup destinations are resources of an account (its admins manage them, its readers see
// them), except shared destinations (no account), which only super users see and manage.
import { type SqlBool, sql } from "kysely";
import { allOf, anyOf, type Decision, decided, holds, holdsOnSomeAccount } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx } from "../types.ts";
import { account, GLOBAL, SYSTEM } from "./common.ts";

export interface BackupDestinationRef {
  account_id: string | null;
}

const COLUMNS = { account: "backup_destinations.account_id" };

const installation = (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system");

const on = (role: "read" | "admin") => (ctx: Ctx, destination: BackupDestinationRef) =>
  destination.account_id === null
    ? installation(ctx)
    : holds(ctx, account(destination.account_id), role);

export const backupDestinations = {
  /** see a destination; refused means "does not exist" */
  canRead: on("read"),
  /** test or delete a destination */
  canManage: on("admin"),
  /** add a destination to an account */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /**
   * have a node's agent test a directory of that node (it writes, reads and deletes a probe
   * object there as itself): those who manage nodes; for others it stays untested
   */
  canTestOnNode: (ctx: Ctx): Decision => holds(ctx, GLOBAL, "admin"),
  /**
   * add a destination in a directory of a node: the agent writes, lists and deletes there as
   * itself (any path of a node every tenant shares), so those who manage nodes, as for a
   * files backup source
   */
  canCreateOnNode: (ctx: Ctx): Decision => holds(ctx, GLOBAL, "admin"),
  /** add a shared destination (no account) */
  canCreateShared: installation,
  /** the destinations a list shows: shared ones only to super users */
  listScope: (ctx: Ctx) => {
    const where = listFilter(ctx, "read", COLUMNS);
    if (installation(ctx).allowed) return where;
    const accounts = sql<SqlBool>`backup_destinations.account_id is not null`;
    return where ? sql<SqlBool>`(${where} and ${accounts})` : accounts;
  },
  /**
   * open the storage explorer of a destination: its readers; a shared one, also anyone who
   * reads an account (who sees that account's objects only: seesObject)
   */
  canExplore: (ctx: Ctx, destination: BackupDestinationRef): Decision =>
    destination.account_id === null
      ? anyOf(installation(ctx), holdsOnSomeAccount(ctx, "read"))
      : holds(ctx, account(destination.account_id), "read"),
  /**
   * see an object of a destination (its name too): everything on an account's destination is
   * that account's; on a shared one, an object is its owner's (the account of its artifact, or
   * of the plan its sidecar names), and one without a known owner the installation's
   */
  seesObject: (ctx: Ctx, destination: BackupDestinationRef, owner: string | null): Decision =>
    destination.account_id !== null
      ? holds(ctx, account(destination.account_id), "read")
      : owner === null
        ? installation(ctx)
        : holds(ctx, account(owner), "read"),
  /**
   * import an object of a destination as an artifact of account `into`: its admins, when the
   * destination is that account's, or (shared) the object is that account's; super users any
   */
  canImport: (
    ctx: Ctx,
    destination: BackupDestinationRef,
    owner: string | null,
    into: string,
  ): Decision =>
    allOf(
      holds(ctx, account(into), "admin"),
      destination.account_id !== null
        ? decided(destination.account_id === into, "the destination is another account's")
        : owner === into
          ? decided(true, "")
          : installation(ctx),
    ),
  /** index walks covering listScope's rows; null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
};
