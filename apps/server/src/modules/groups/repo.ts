import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import { likeContains, msToIso, namesById } from "../../lib/sql.ts";

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

export async function listGroups(
  db: Kysely<Database>,
  f: { q?: string; userId?: string; limit: number; cursor?: string },
) {
  let q = base(db)
    .orderBy("g.id")
    .limit(f.limit + 1);
  if (f.cursor) q = q.where("g.id", ">", f.cursor);
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
  return (await q.execute()).map(toGroup);
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
    .orderBy("u.id")
    .limit(f.limit + 1);
  if (f.cursor) q = q.where("u.id", ">", f.cursor);
  return (await q.execute()).map((r) => ({
    userId: r.id,
    email: r.email,
    name: r.name,
    addedAt: msToIso(r.created_at),
  }));
}

/** The names of these groups, by id. */
export const groupNames = (db: Kysely<Database>, ids: readonly string[]) =>
  namesById(db, "groups", "name", ids);
