// List queries are filtered in SQL by the same rules as policy.ts: for each principal the
// most specific grant counts, the highest principal wins, API key scopes cap the result.
// The actor's grants are few and already loaded, so the filter is built from bound lists.
import { type Role, roleRank } from "@steward/contracts";
import { type Expression, type RawBuilder, type SqlBool, sql } from "kysely";
import { principalsOf, scopeCap } from "./policy.ts";
import type { Actor, GrantRow } from "./types.ts";

export interface FilterColumns {
  /** column holding the account id of each row ("accounts.id" for the accounts table) */
  account: string;
  /**
   * for resources: their type (or, for tables of rows of several types such as tasks, the
   * column holding it: rows where it or the id is null count as account-level) and the
   * column holding their id
   */
  resource?: { type: string; id: string } | { typeColumn: string; id: string };
}

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

const inList = (col: RawBuilder<unknown>, values: string[]) =>
  values.length === 0 ? FALSE : sql<SqlBool>`${col} in (${sql.join(values)})`;
const notInList = (col: RawBuilder<unknown>, values: string[]) =>
  values.length === 0 ? TRUE : sql<SqlBool>`${col} not in (${sql.join(values)})`;
const or = (parts: RawBuilder<SqlBool>[]) =>
  parts.length === 0 ? FALSE : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
const and = (a: RawBuilder<SqlBool>, b: RawBuilder<SqlBool>) => sql<SqlBool>`(${a} and ${b})`;

/** The role cap of API key scopes as a condition on the row's account. */
function capFilter(actor: Actor, need: number, account: RawBuilder<unknown>): RawBuilder<SqlBool> {
  if (scopeCap(actor.scopes, { kind: "global" }) >= need) return TRUE;
  const accounts = (actor.scopes ?? [])
    .filter((s) => s.startsWith("account:"))
    .map((s) => s.split(":"))
    .filter(([, , role]) => roleRank(role as Role) >= need)
    .map(([, id]) => id as string);
  return inList(account, accounts);
}

/** A WHERE condition keeping only rows the actor holds at least `role` on. */
export function visibleWhere(
  actor: Actor,
  grants: GrantRow[],
  role: Role,
  cols: FilterColumns,
): Expression<SqlBool> {
  const need = roleRank(role);
  const account = sql.ref(cols.account);
  const cap = capFilter(actor, need, account);
  if (actor.isSuper) return cap;
  const res = cols.resource;
  const resKey = !res
    ? undefined
    : "type" in res
      ? sql`(${`${res.type}:`} || ${sql.ref(res.id)})`
      : // '' is no resource scope id: no resource grant applies, the account level decides
        sql`coalesce(${sql.ref(res.typeColumn)} || ':' || ${sql.ref(res.id)}, '')`;
  const perPrincipal = principalsOf(actor).map((p) => {
    const mine = grants.filter((g) => g.principal_type === p.type && g.principal_id === p.id);
    const ids = (scope: GrantRow["scope_type"], pass?: boolean) =>
      mine
        .filter(
          (g) => g.scope_type === scope && (pass === undefined || g.role_rank >= need === pass),
        )
        .map((g) => g.scope_id);
    const global = mine.find((g) => g.scope_type === "global");
    const globalPasses = global !== undefined && global.role_rank >= need;
    // account level: an account grant decides, else the global grant
    const accountLevel = globalPasses
      ? notInList(account, ids("account", false))
      : inList(account, ids("account", true));
    if (!resKey) return accountLevel;
    // resource level: a resource grant decides, else the account level
    return or([
      inList(resKey, ids("resource", true)),
      and(notInList(resKey, ids("resource")), accountLevel),
    ]);
  });
  return and(or(perPrincipal), cap);
}

/**
 * Conditions whose union holds every row `visibleWhere` keeps, each an equality an index
 * answers (one account, one resource), so that a list walks one index range per condition
 * instead of the whole table (docs/architecture.md, "Lists"). Each is used together with
 * `visibleWhere`, which still decides. Null when no short list covers the rows: a super user
 * (unless its API key is held to some accounts) or a global grant.
 */
export function visibleCover(
  actor: Actor,
  grants: GrantRow[],
  role: Role,
  cols: FilterColumns,
): RawBuilder<SqlBool>[] | null {
  const need = roleRank(role);
  const account = (id: string) => sql<SqlBool>`${sql.ref(cols.account)} = ${id}`;
  if (scopeCap(actor.scopes, { kind: "global" }) < need) {
    // an API key held to accounts: no row outside them
    const held = (actor.scopes ?? []).filter((s) => s.startsWith("account:"));
    return [...new Set(held.map((s) => s.split(":")[1] as string))].map(account);
  }
  if (actor.isSuper) return null;
  const mine = grants.filter((g) =>
    principalsOf(actor).some((p) => g.principal_type === p.type && g.principal_id === p.id),
  );
  if (mine.some((g) => g.scope_type === "global" && g.role_rank >= need)) return null;
  const passing = (scope: GrantRow["scope_type"]) => [
    ...new Set(
      mine.filter((g) => g.scope_type === scope && g.role_rank >= need).map((g) => g.scope_id),
    ),
  ];
  const resources = passing("resource").flatMap((key) => resourceWalk(cols, key));
  return [...passing("account").map(account), ...resources];
}

/** The condition on one resource ("<type>:<id>") of a table of resources, if it can hold it. */
function resourceWalk(cols: FilterColumns, key: string): RawBuilder<SqlBool>[] {
  const res = cols.resource;
  if (!res) return [];
  const [type = "", id = ""] = key.split(/:(.*)/s);
  if ("type" in res) return res.type === type ? [sql<SqlBool>`${sql.ref(res.id)} = ${id}`] : [];
  return [sql<SqlBool>`(${sql.ref(res.typeColumn)} = ${type} and ${sql.ref(res.id)} = ${id})`];
}
