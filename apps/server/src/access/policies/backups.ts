// Backup sources, plans, runs and artifacts are resources of an account: its readers see them,
// its operators run a plan now, its admins create, change and delete them. Reading a node's
// directory or reaching a MongoDB from a node (files and mongodb sources) is the installation's
// (super users): nodes are shared by tenants, and a path of a node is anyone's files.
import { type Decision, holds, holdsOnSomeAccount } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx } from "../types.ts";
import { account, SYSTEM } from "./common.ts";

export type BackupTable = "backup_sources" | "backup_plans" | "backup_runs" | "backup_artifacts";

export interface BackupRef {
  account_id: string;
}

const columnsOf = (table: BackupTable) => ({ account: `${table}.account_id` });

const on = (role: "read" | "operate" | "admin") => (ctx: Ctx, row: BackupRef) =>
  holds(ctx, account(row.account_id), role);

export const backups = {
  /** see a source, plan, run or artifact; refused means "does not exist" */
  canRead: on("read"),
  /** run a plan now */
  canRun: on("operate"),
  /** create, change or delete a source or plan */
  canManage: on("admin"),
  /** add a source or plan to an account */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** add a source or plan to some account (what the console offers) */
  canCreateSomewhere: (ctx: Ctx): Decision => holdsOnSomeAccount(ctx, "admin"),
  /** a source that reads a node itself (a directory, MongoDB from the node) */
  canReadNodes: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
  /** the rows a list shows, and the index walks covering them (null: all) */
  listScope: (ctx: Ctx, table: BackupTable) => ({
    where: listFilter(ctx, "read", columnsOf(table)),
    walks: listCover(ctx, "read", columnsOf(table)),
  }),
};
