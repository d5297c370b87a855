// Tasks: what a task is about decides (its resource, else its account); tasks without an
// account and tasks of system kinds are the super group's. A task of a system kind carries no
// account (the tasks service refuses one, migration 020 cleared older ones): "no account" is
// then the one condition that hides the system's tasks from a list, and an account's index
// walk reads only the account's own tasks (docs/tasks.md, "System tasks carry no account").
import { type Expression, expressionBuilder, type SqlBool } from "kysely";
import type { Database } from "../../db/schema.ts";
import { type Decision, holds } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx, Target } from "../types.ts";
import { account, SYSTEM } from "./common.ts";

/** The kinds of task the engine knows: which are system kinds. */
export interface TaskKinds {
  get(kind: string): { system?: boolean } | undefined;
  all(): { kind: string; system?: boolean }[];
}

export interface TaskRef {
  kind: string;
  account_id: string | null;
  target_type: string | null;
  target_id: string | null;
}

/** What a task is about for access control. */
export function targetOf(kinds: TaskKinds, task: TaskRef): Target {
  const accountId = task.account_id;
  if (!accountId || kinds.get(task.kind)?.system) return SYSTEM;
  if (task.target_type && task.target_id)
    return { kind: "resource", type: task.target_type, id: task.target_id, accountId };
  return account(accountId);
}

const COLUMNS = {
  account: "tasks.account_id",
  resource: { typeColumn: "tasks.target_type", id: "tasks.target_id" },
};

export const tasks = {
  /** see a task and its log; refused means "does not exist" */
  canRead: (ctx: Ctx, kinds: TaskKinds, task: TaskRef): Decision =>
    holds(ctx, targetOf(kinds, task), "read"),
  /** run it now or cancel it: self-service */
  canRun: (ctx: Ctx, kinds: TaskKinds, task: TaskRef): Decision =>
    holds(ctx, targetOf(kinds, task), "operate"),
  /** change its schedule, priority or whether it is enabled */
  canChange: (ctx: Ctx, kinds: TaskKinds, task: TaskRef): Decision =>
    holds(ctx, targetOf(kinds, task), "admin"),
  /** create a task of a kind, in an account or (null) none */
  canCreate: (ctx: Ctx, system: boolean, accountId: string | null): Decision =>
    holds(ctx, system || !accountId ? SYSTEM : account(accountId), "admin"),
  /**
   * the rows of `tasks` a list shows (the SQL form of canRead); null for all. System kinds
   * need no condition of their own: their tasks have no account.
   */
  listScope(ctx: Ctx): Expression<SqlBool> | null {
    const inAccounts = listFilter(ctx, "read", COLUMNS);
    if (holds(ctx, SYSTEM, "read").allowed) return null;
    const eb = expressionBuilder<Database, "tasks">();
    return eb.and([eb("tasks.account_id", "is not", null), inAccounts]);
  },
  /** index walks covering listScope's rows (its accounts and resources); null for all */
  listWalks(ctx: Ctx): Expression<SqlBool>[] | null {
    if (holds(ctx, SYSTEM, "read").allowed) return null;
    return listCover(ctx, "read", COLUMNS);
  },
};
