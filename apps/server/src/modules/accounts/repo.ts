import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { namesById } from "../../lib/names.ts";
import { likeContains, msToIso } from "../../lib/sql.ts";
import { countOfWalks, type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

const cols = ["id", "slug", "name", "created_at"] as const;
const toAccount = (r: { id: string; slug: string; name: string; created_at: number }) => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  createdAt: msToIso(r.created_at),
});
export type Account = ReturnType<typeof toAccount>;

/** The orders of the accounts list, each an index walk (migration 014). */
export const accountOrder = keyset("accounts.id", {
  // names sort regardless of case (the index is on lower(name), so it answers no name lookup)
  name: { sql: "lower(name)" },
  createdAt: "id",
});

/** A page of accounts; those an actor sees are read one at a time when they are a few. */
export async function listAccounts(
  db: Kysely<Database>,
  scope: ListScope,
  f: { q?: string; limit: number; walk: Walk },
) {
  let q = f.walk.apply(db.selectFrom("accounts").select(cols)).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.q) {
    const text = f.q.toLowerCase();
    q = q.where((eb) =>
      eb.or([likeContains(sql`lower(name)`, text), likeContains(sql`slug`, text)]),
    );
  }
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
  return f.walk.page(rows, f.limit, toAccount);
}

export async function findAccount(db: Kysely<Database>, idOrSlug: string) {
  const r = await db
    .selectFrom("accounts")
    .select(cols)
    .where((eb) => eb.or([eb("id", "=", idOrSlug), eb("slug", "=", idOrSlug)]))
    .executeTakeFirst();
  return r ? toAccount(r) : undefined;
}

export async function insertAccount(
  db: Kysely<Database>,
  a: { id: string; slug: string; name: string },
) {
  const now = Date.now();
  await db
    .insertInto("accounts")
    .values({ ...a, created_at: now, updated_at: now })
    .execute();
}

export async function updateAccount(db: Kysely<Database>, id: string, patch: { name: string }) {
  await db
    .updateTable("accounts")
    .set({ ...patch, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

export async function deleteAccount(db: Kysely<Database>, id: string) {
  await db.deleteFrom("accounts").where("id", "=", id).execute();
}

/** The names of these accounts, by id. */
export const accountNames = namesById("accounts", "name");

export const accountExists = async (db: Kysely<Database>, id: string) =>
  (await db.selectFrom("accounts").select("id").where("id", "=", id).executeTakeFirst()) !==
  undefined;

/** Accounts, or those the condition keeps, up to countLimit + 1 (lib/sql.ts). */
export async function countAccounts(db: Kysely<Database>, scope: ListScope) {
  const all = db.selectFrom("accounts");
  return countOfWalks(db, scope.walks, scope.where ? all.where(scope.where) : all);
}
