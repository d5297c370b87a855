import { type Kysely, sql } from "kysely";
import { actorsChanged } from "../../access/actor-changes.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { namesById } from "../../lib/names.ts";
import { boundedCount, containsPattern, toBool, toIso } from "../../lib/sql.ts";

/** better-auth's provider id of sign in with GitHub (its `auth_account` rows; github/sign-in-provider.ts) */
export const GITHUB_PROVIDER = "github";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  disabled: boolean;
  twoFactorEnabled: boolean;
  passkeys: number;
  githubLinked: boolean;
  super: boolean;
  createdAt: string;
}

const base = (db: Kysely<Database>) =>
  db
    .selectFrom("auth_user as u")
    .select((eb) => [
      "u.id",
      "u.email",
      "u.name",
      "u.disabled",
      "u.twoFactorEnabled",
      "u.createdAt",
      eb
        .selectFrom("auth_passkey as p")
        .select(sql<number>`count(*)`.as("n"))
        .whereRef("p.userId", "=", "u.id")
        .as("passkeys"),
      eb
        .selectFrom("auth_account as a")
        .select(sql<number>`count(*)`.as("n"))
        .whereRef("a.userId", "=", "u.id")
        .where("a.providerId", "=", GITHUB_PROVIDER)
        .as("github"),
      eb
        .selectFrom("group_members as gm")
        .select(sql<number>`count(*)`.as("n"))
        .whereRef("gm.user_id", "=", "u.id")
        .where("gm.group_id", "=", "super")
        .as("super"),
    ]);

type Raw = Awaited<ReturnType<ReturnType<typeof base>["executeTakeFirstOrThrow"]>>;
const toUser = (r: Raw): UserRow => ({
  id: r.id,
  email: r.email,
  name: r.name,
  disabled: toBool(r.disabled),
  twoFactorEnabled: toBool(r.twoFactorEnabled),
  passkeys: Number(r.passkeys ?? 0),
  githubLinked: Number(r.github ?? 0) > 0,
  super: Number(r.super ?? 0) > 0,
  createdAt: toIso(r.createdAt),
});

export async function findUser(db: Kysely<Database>, id: string) {
  const r = await base(db).where("u.id", "=", id).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function findUserByEmail(db: Kysely<Database>, email: string) {
  const r = await base(db).where("u.email", "=", email).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

/** The orders of the users list, each an index walk (emails are unique; migration 014). */
export const userOrder = keyset("u.id", {
  email: { sql: "u.email", unique: true },
  // names sort regardless of case
  name: { sql: "lower(u.name)" },
  createdAt: "id",
});

export async function listUsers(
  db: Kysely<Database>,
  f: { q?: string; disabled?: boolean; limit: number; walk: Walk },
) {
  let q = f.walk.apply(base(db)).limit(f.limit + 1);
  if (f.q) {
    const p = containsPattern(f.q.toLowerCase());
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(u.email)`, "like", sql`${p} escape '\\'`),
        eb(sql`lower(u.name)`, "like", sql`${p} escape '\\'`),
      ]),
    );
  }
  if (f.disabled !== undefined) q = q.where("u.disabled", "=", f.disabled);
  return f.walk.page(await q.execute(), f.limit, toUser);
}

/** Users, up to countLimit + 1 (lib/sql.ts). */
export async function countUsers(db: Kysely<Database>): Promise<number> {
  return boundedCount(db, db.selectFrom("auth_user"));
}

export async function insertUser(
  db: Kysely<Database>,
  u: { id: string; email: string; name: string; passwordHash: string; accountRowId: string },
) {
  const now = new Date();
  await db
    .insertInto("auth_user")
    .values({
      id: u.id,
      email: u.email,
      name: u.name,
      emailVerified: false,
      image: null,
      createdAt: now,
      updatedAt: now,
      twoFactorEnabled: false,
      disabled: false,
    })
    .execute();
  await db
    .insertInto("auth_account")
    .values({
      id: u.accountRowId,
      accountId: u.id,
      providerId: "credential",
      userId: u.id,
      password: u.passwordHash,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
}

export async function setPasswordHash(db: Kysely<Database>, userId: string, hash: string) {
  await db
    .updateTable("auth_account")
    .set({ password: hash, updatedAt: new Date() })
    .where("userId", "=", userId)
    .where("providerId", "=", "credential")
    .execute();
}

export async function updateUserRow(
  db: Kysely<Database>,
  id: string,
  patch: { name?: string; disabled?: boolean },
) {
  await db
    .updateTable("auth_user")
    .set({ ...patch, updatedAt: new Date() })
    .where("id", "=", id)
    .execute();
  await actorsChanged(db);
}

/** Ends every session of a user; returns how many there were. */
export async function deleteSessions(db: Kysely<Database>, userId: string) {
  const r = await db.deleteFrom("auth_session").where("userId", "=", userId).executeTakeFirst();
  await actorsChanged(db);
  return r.numDeletedRows;
}

/**
 * Deletes a session that authentication found past its expiry, as better-auth's getSession
 * does: expired, it let no one in, so nothing cached changes.
 */
export async function deleteExpiredSession(db: Kysely<Database>, id: string) {
  await db.deleteFrom("auth_session").where("id", "=", id).execute();
}

/**
 * Deletes the sessions that expired before `now` (their cookies never came back to be deleted
 * at sign-in, deleteExpiredSession); returns how many. better-auth writes its dates as ISO
 * strings on SQLite and as timestamptz on PostgreSQL.
 */
export async function pruneExpiredSessions({ db, dialect }: Db, now: number): Promise<number> {
  const cutoff = dialect === "postgres" ? new Date(now) : new Date(now).toISOString();
  const r = await db.deleteFrom("auth_session").where("expiresAt", "<", cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** What authenticating a session cookie reads: its row by the token's hash, and its user. */
export async function findSessionForAuth(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom("auth_session as s")
    .innerJoin("auth_user as u", "u.id", "s.userId")
    .select(["s.id", "s.expiresAt", "u.id as userId", "u.email", "u.name", "u.disabled"])
    .where("s.token", "=", tokenHash)
    .executeTakeFirst();
}

export async function resetSecondFactor(db: Kysely<Database>, userId: string, passkeys: boolean) {
  await db.deleteFrom("auth_two_factor").where("userId", "=", userId).execute();
  if (passkeys) await db.deleteFrom("auth_passkey").where("userId", "=", userId).execute();
  await db
    .updateTable("auth_user")
    .set({ twoFactorEnabled: false, updatedAt: new Date() })
    .where("id", "=", userId)
    .execute();
}

/** Removes the user's linked GitHub account (better-auth's `auth_account` row): how many. */
export async function unlinkGithub(db: Kysely<Database>, userId: string) {
  const r = await db
    .deleteFrom("auth_account")
    .where("userId", "=", userId)
    .where("providerId", "=", GITHUB_PROVIDER)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** One TOTP secret (sealed by better-auth under a key derived from the master key), if any. */
export const anyTwoFactorSecret = async (db: Kysely<Database>) =>
  (await db.selectFrom("auth_two_factor").select("secret").limit(1).executeTakeFirst())?.secret;

/** The emails of these users, by id (for lists that show people by name). */
export const emailsOf = namesById("auth_user", "email");

export const userExists = async (db: Kysely<Database>, id: string) =>
  (await db.selectFrom("auth_user").select("id").where("id", "=", id).executeTakeFirst()) !==
  undefined;

/** Whether the user is disabled; undefined when there is no such user. */
/** Whether a session may be made for the user: disabled, or with TOTP (undefined: no user). */
export async function sessionGate(db: Kysely<Database>, id: string) {
  const r = await db
    .selectFrom("auth_user")
    .select(["disabled", "twoFactorEnabled"])
    .where("id", "=", id)
    .executeTakeFirst();
  return r ? { disabled: toBool(r.disabled), twoFactor: toBool(r.twoFactorEnabled) } : undefined;
}
