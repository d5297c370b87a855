import { type Role, rankRole, roleRank } from "@steward/contracts";
import { type Kysely, type SqlBool, sql } from "kysely";
import { actorsChanged } from "../../access/actor-changes.ts";
import type { Database, GrantTable } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { msToIso } from "../../lib/sql.ts";
import { pageOfWalks } from "../../lib/walks.ts";

export interface GrantKey {
  principalType: GrantTable["principal_type"];
  principalId: string;
  scopeType: GrantTable["scope_type"];
  scopeId: string;
}

const names = (db: Kysely<Database>) =>
  db
    .selectFrom("grants as g")
    .leftJoin("auth_user as u", (j) =>
      j.onRef("u.id", "=", "g.principal_id").on("g.principal_type", "=", "user"),
    )
    .leftJoin("groups as gr", (j) =>
      j.onRef("gr.id", "=", "g.principal_id").on("g.principal_type", "=", "group"),
    )
    .leftJoin("accounts as a", (j) =>
      j.onRef("a.id", "=", "g.scope_id").on("g.scope_type", "=", "account"),
    )
    .select([
      "g.id",
      "g.principal_type",
      "g.principal_id",
      "g.scope_type",
      "g.scope_id",
      "g.role_rank",
      "g.created_at",
      "u.email as user_email",
      "gr.name as group_name",
      "a.name as account_name",
    ]);

type Raw = Awaited<ReturnType<ReturnType<typeof names>["executeTakeFirstOrThrow"]>>;
export const toGrant = (r: Raw) => ({
  id: r.id,
  principalType: r.principal_type,
  principalId: r.principal_id,
  principalName: (r.principal_type === "user" ? r.user_email : r.group_name) ?? r.principal_id,
  scopeType: r.scope_type,
  scopeId: r.scope_type === "global" ? null : r.scope_id,
  scopeName: r.scope_type === "account" ? (r.account_name ?? null) : null,
  role: rankRole(r.role_rank),
  createdAt: msToIso(r.created_at),
});
export type Grant = ReturnType<typeof toGrant>;

export async function listGrants(
  db: Kysely<Database>,
  f: Partial<GrantKey> & { role?: Role; userId?: string; limit: number; cursor?: string },
) {
  let q = names(db)
    .orderBy("g.id")
    .limit(f.limit + 1);
  if (f.cursor) q = q.where("g.id", ">", f.cursor);
  if (f.principalType) q = q.where("g.principal_type", "=", f.principalType);
  if (f.principalId) q = q.where("g.principal_id", "=", f.principalId);
  if (f.scopeType) q = q.where("g.scope_type", "=", f.scopeType);
  if (f.scopeId !== undefined) q = q.where("g.scope_id", "=", f.scopeId);
  if (f.role) q = q.where("g.role_rank", "=", roleRank(f.role));
  // a user's grants: its own and its groups', one principal's walk each (lib/walks.ts; past
  // MAX_WALKS groups, one walk of them all)
  const walks = f.userId ? await principalsOfUser(db, f.userId) : null;
  if (walks) q = q.where(sql<SqlBool>`(${sql.join(walks, sql` or `)})`);
  const oldestFirst = (a: Raw, b: Raw) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const rows = await pageOfWalks(db, walks, f.limit + 1, q, oldestFirst);
  return rows.map(toGrant);
}

/** A user and each of its groups as a condition on a grant's principal. */
async function principalsOfUser(db: Kysely<Database>, userId: string) {
  const groups = await db
    .selectFrom("group_members")
    .select("group_id")
    .where("user_id", "=", userId)
    .execute();
  const principal = (type: string, id: string) =>
    sql<SqlBool>`(g.principal_id = ${id} and g.principal_type = ${type})`;
  return [principal("user", userId), ...groups.map((g) => principal("group", g.group_id))];
}

export async function findGrant(db: Kysely<Database>, id: string) {
  const r = await names(db).where("g.id", "=", id).executeTakeFirst();
  return r ? toGrant(r) : undefined;
}

export async function findGrantByKey(db: Kysely<Database>, k: GrantKey) {
  const r = await names(db)
    .where("g.principal_type", "=", k.principalType)
    .where("g.principal_id", "=", k.principalId)
    .where("g.scope_type", "=", k.scopeType)
    .where("g.scope_id", "=", k.scopeId)
    .executeTakeFirst();
  return r ? toGrant(r) : undefined;
}

/** Sets the role of a principal on a scope, replacing an existing grant. Returns its id. */
export async function upsertGrant(db: Kysely<Database>, k: GrantKey, role: Role): Promise<string> {
  // one statement, so concurrent sets of the same grant cannot both insert
  const row = await db
    .insertInto("grants")
    .values({
      id: newId("grant"),
      principal_type: k.principalType,
      principal_id: k.principalId,
      scope_type: k.scopeType,
      scope_id: k.scopeId,
      role_rank: roleRank(role),
      created_at: Date.now(),
    })
    .onConflict((oc) =>
      oc
        .columns(["principal_type", "principal_id", "scope_type", "scope_id"])
        .doUpdateSet({ role_rank: roleRank(role) }),
    )
    .returning("id")
    .executeTakeFirstOrThrow();
  await actorsChanged(db);
  return row.id;
}

export async function deleteGrant(db: Kysely<Database>, id: string) {
  await db.deleteFrom("grants").where("id", "=", id).execute();
  await actorsChanged(db);
}

/** Deletes the grants held by a principal, or on a scope (the principal or scope is gone). */
async function deleteGrantsOf(
  db: Kysely<Database>,
  side: "principal" | "scope",
  type: string,
  id: string,
) {
  await db
    .deleteFrom("grants")
    .where(`${side}_type`, "=", type as never)
    .where(`${side}_id`, "=", id)
    .execute();
  await actorsChanged(db);
}

export const deleteGrantsOfPrincipal = (
  db: Kysely<Database>,
  type: GrantTable["principal_type"],
  id: string,
) => deleteGrantsOf(db, "principal", type, id);

export const deleteGrantsOnScope = (
  db: Kysely<Database>,
  scopeType: "account" | "resource",
  scopeId: string,
) => deleteGrantsOf(db, "scope", scopeType, scopeId);

/** The grants held by any of the principals (an actor: itself and its groups). */
export function grantsOfPrincipals(
  db: Kysely<Database>,
  principals: { type: GrantTable["principal_type"]; id: string }[],
) {
  return db
    .selectFrom("grants")
    .select(["principal_type", "principal_id", "scope_type", "scope_id", "role_rank"])
    .where((eb) =>
      eb.or(
        principals.map((p) =>
          eb.and([eb("principal_type", "=", p.type), eb("principal_id", "=", p.id)]),
        ),
      ),
    )
    .execute();
}
