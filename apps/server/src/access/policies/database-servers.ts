// Database servers are resources of an account (a grant on the server, else on its account,
// decides: the account's admins manage them), except shared servers (no account), which only
// super users see and manage.
import { type SqlBool, sql } from "kysely";
import { type Decision, holds, holdsOnSomeAccount } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx } from "../types.ts";
import { account, SYSTEM } from "./common.ts";

export interface DatabaseServerRef {
  id: string;
  account_id: string | null;
}

/** The columns that decide a row: its account, and the server it is on. */
const columnsOf = (table: "database_servers" | "databases" | "database_users") => ({
  account: `${table}.account_id`,
  resource: {
    type: "database-server",
    id: table === "database_servers" ? "database_servers.id" : `${table}.server_id`,
  },
});
const COLUMNS = columnsOf("database_servers");

const installation = (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system");

/** a role on a server (a shared one: super users) */
export const onServer =
  (role: "read" | "operate" | "admin") => (ctx: Ctx, server: DatabaseServerRef) =>
    server.account_id === null
      ? installation(ctx)
      : holds(
          ctx,
          {
            kind: "resource",
            type: "database-server",
            id: server.id,
            accountId: server.account_id,
          },
          role,
        );

export const databaseServers = {
  /** see a server; refused means "does not exist" */
  canRead: onServer("read"),
  /** test, change, delete a server; create databases and users on it */
  canManage: onServer("admin"),
  /** add a server to an account */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** an account's databases' sizes together: its readers */
  canReadSizesOf: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "read"),
  /** add a server to some account (what the console offers) */
  canCreateSomewhere: (ctx: Ctx): Decision => holdsOnSomeAccount(ctx, "admin"),
  /** add a shared server (no account) */
  canCreateShared: installation,
  /** the servers a list shows: shared ones only to super users */
  listScope: (ctx: Ctx) => scopeOf(ctx, "database_servers"),
  /** index walks covering listScope's rows; null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
  /** the databases or users a list shows: those of the servers one reads */
  itemScope: (ctx: Ctx, table: "databases" | "database_users") => ({
    where: scopeOf(ctx, table),
    walks: listCover(ctx, "read", columnsOf(table)),
  }),
};

function scopeOf(ctx: Ctx, table: "database_servers" | "databases" | "database_users") {
  const where = listFilter(ctx, "read", columnsOf(table));
  if (installation(ctx).allowed) return where;
  const accounts = sql<SqlBool>`${sql.ref(`${table}.account_id`)} is not null`;
  return where ? sql<SqlBool>`(${where} and ${accounts})` : accounts;
}
