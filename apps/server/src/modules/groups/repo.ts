import { type Kysely, sql } from "kysely";
import { actorsChanged } from "../../access/actor-changes.ts";
import type { Database } from "../../db/schema.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { namesById } from "../../lib/names.ts";
import { likeContains, msToIso } from "../../lib/sql.ts";

const base = (db: Kysely<Database>) =>
  db
    .selectFrom("groups as g")
    .select((eb) => [
      "g.id",
      "g.name",
      "g.description",
      "g.builtin",
      "g.created_at",
      eb
        .selectFrom("group_members as m")
        .select(sql<number>`count(*)`.as("n"))
        .whereRef("m.group_id", "=", "g.id")
        .as("members"),
    ]);
type Raw = Awaited<ReturnType<ReturnType<typeof base>["executeTakeFirstOrThrow"]>>;
const toGroup = (r: Raw) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  builtin: r.builtin === 1,
  members: Number(r.members ?? 0),
  createdAt: msToIso(r.created_at),
});
export type Group = ReturnType<typeof toGroup>;

/** The orders of the groups list (names are unique, each has its index). */
export const groupOrder = keyset("g.id", {
  name: { sql: "g.name", unique: true },
  createdAt: "id",
});

export async function listGroups(
  db: Kysely<Database>,
  f: { q?: string; userId?: string; limit: number; walk: Walk },
) {
  let q = f.walk.apply(base(db)).limit(f.limit + 1);
  if (f.q) {
    q = q.where(likeContains(sql`lower(g.name)`, f.q.toLowerCase()));
  }
  const userId = f.userId;
  if (userId) {
    q = q.where(
      "g.id",
      "in",
      db.selectFrom("group_members").select("group_id").where("user_id", "=", userId),
    );
  }
  return f.walk.page(await q.execute(), f.limit, toGroup);
}

export async function findGroup(db: Kysely<Database>, idOrName: string) {
  const r = await base(db)
    .where((eb) => eb.or([eb("g.id", "=", idOrName), eb("g.name", "=", idOrName)]))
    .executeTakeFirst();
  return r ? toGroup(r) : undefined;
}

export async function listMembers(
  db: Kysely<Database>,
  groupId: string,
  f: { limit: number; cursor?: string },
) {
  let q = db
    .selectFrom("group_members as m")
    .innerJoin("auth_user as u", "u.id", "m.user_id")
    .select(["u.id", "u.email", "u.name", "m.created_at"])
    .where("m.group_id", "=", groupId)
    .orderBy("m.user_id")
    .limit(f.limit + 1);
  // the members table's key: (group_id, user_id)
  if (f.cursor) q = q.where("m.user_id", ">", f.cursor);
  return (await q.execute()).map((r) => ({
    userId: r.id,
    email: r.email,
    name: r.name,
    addedAt: msToIso(r.created_at),
  }));
}

/** The names of these groups, by id. */
export const groupNames = namesById("groups", "name");

export async function insertGroup(
  db: Kysely<Database>,
  g: { id: string; name: string; description: string },
) {
  await db
    .insertInto("groups")
    .values({ ...g, builtin: 0, created_at: Date.now() })
    .execute();
}

export async function updateGroup(
  db: Kysely<Database>,
  id: string,
  patch: { name?: string; description?: string },
) {
  await db.updateTable("groups").set(patch).where("id", "=", id).execute();
}

export async function deleteGroup(db: Kysely<Database>, id: string) {
  await db.deleteFrom("groups").where("id", "=", id).execute();
  await actorsChanged(db);
}

export async function countGroups(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom("groups")
    .select(sql<number | string>`count(*)`.as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export const groupExists = async (db: Kysely<Database>, id: string) =>
  (await db.selectFrom("groups").select("id").where("id", "=", id).executeTakeFirst()) !==
  undefined;

/** The groups a user is a member of. */
export async function groupIdsOf(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("group_members")
    .select("group_id")
    .where("user_id", "=", userId)
    .execute();
  return rows.map((r) => r.group_id);
}

export const isMember = async (db: Kysely<Database>, groupId: string, userId: string) =>
  (await db
    .selectFrom("group_members")
    .select("user_id")
    .where("group_id", "=", groupId)
    .where("user_id", "=", userId)
    .executeTakeFirst()) !== undefined;

export async function addMember(db: Kysely<Database>, groupId: string, userId: string) {
  await db
    .insertInto("group_members")
    .values({ group_id: groupId, user_id: userId, created_at: Date.now() })
    .execute();
  await actorsChanged(db);
}

/** Removes a membership; false when it was not there (any more). */
export async function removeMember(db: Kysely<Database>, groupId: string, userId: string) {
  const r = await db
    .deleteFrom("group_members")
    .where("group_id", "=", groupId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  await actorsChanged(db);
  return Number(r.numDeletedRows) === 1;
}

/** Whether an enabled member of the group other than `userId` exists. */
export async function anotherEnabledMember(db: Kysely<Database>, groupId: string, userId: string) {
  const other = await db
    .selectFrom("group_members as m")
    .innerJoin("auth_user as u", "u.id", "m.user_id")
    .select("u.id")
    .where("m.group_id", "=", groupId)
    .where("u.disabled", "=", false)
    .where("u.id", "!=", userId)
    .executeTakeFirst();
  return other !== undefined;
}

/** Whether the group has any member. */
export async function hasMembers(db: Kysely<Database>, groupId: string): Promise<boolean> {
  const r = await db
    .selectFrom("group_members")
    .select("user_id")
    .where("group_id", "=", groupId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}
