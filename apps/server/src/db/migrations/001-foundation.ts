import { type Kysely, type Migration, sql } from "kysely";
import type { Dialect } from "../open.ts";

/** Column types that differ between the two dialects. */
export const types = (dialect: Dialect) => ({
  bool: dialect === "postgres" ? ("boolean" as const) : ("integer" as const),
  date: dialect === "postgres" ? ("timestamptz" as const) : ("date" as const),
});

async function authTables(db: Kysely<unknown>, dialect: Dialect) {
  const t = types(dialect);
  // The schema better-auth expects (email+password, two-factor, passkey, api-key plugins);
  // a test compares it with better-auth's own migration planner on both dialects.
  await db.schema
    .createTable("auth_user")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("emailVerified", t.bool, (c) => c.notNull())
    .addColumn("image", "text")
    .addColumn("createdAt", t.date, (c) => c.notNull())
    .addColumn("updatedAt", t.date, (c) => c.notNull())
    .addColumn("twoFactorEnabled", t.bool)
    .addColumn("disabled", t.bool, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("auth_session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("expiresAt", t.date, (c) => c.notNull())
    .addColumn("token", "text", (c) => c.notNull().unique())
    .addColumn("createdAt", t.date, (c) => c.notNull())
    .addColumn("updatedAt", t.date, (c) => c.notNull())
    .addColumn("ipAddress", "text")
    .addColumn("userAgent", "text")
    .addColumn("userId", "text", (c) => c.notNull().references("auth_user.id").onDelete("cascade"))
    .execute();
  await db.schema
    .createTable("auth_account")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("accountId", "text", (c) => c.notNull())
    .addColumn("providerId", "text", (c) => c.notNull())
    .addColumn("userId", "text", (c) => c.notNull().references("auth_user.id").onDelete("cascade"))
    .addColumn("accessToken", "text")
    .addColumn("refreshToken", "text")
    .addColumn("idToken", "text")
    .addColumn("accessTokenExpiresAt", t.date)
    .addColumn("refreshTokenExpiresAt", t.date)
    .addColumn("scope", "text")
    .addColumn("password", "text")
    .addColumn("createdAt", t.date, (c) => c.notNull())
    .addColumn("updatedAt", t.date, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("auth_verification")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("identifier", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("expiresAt", t.date, (c) => c.notNull())
    .addColumn("createdAt", t.date, (c) => c.notNull())
    .addColumn("updatedAt", t.date, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("auth_two_factor")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("backupCodes", "text", (c) => c.notNull())
    .addColumn("userId", "text", (c) => c.notNull().references("auth_user.id").onDelete("cascade"))
    .addColumn("verified", t.bool)
    .addColumn("failedVerificationCount", "integer")
    .addColumn("lockedUntil", t.date)
    .execute();
  await db.schema
    .createTable("auth_passkey")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text")
    .addColumn("publicKey", "text", (c) => c.notNull())
    .addColumn("userId", "text", (c) => c.notNull().references("auth_user.id").onDelete("cascade"))
    .addColumn("credentialID", "text", (c) => c.notNull())
    .addColumn("counter", "integer", (c) => c.notNull())
    .addColumn("deviceType", "text", (c) => c.notNull())
    .addColumn("backedUp", t.bool, (c) => c.notNull())
    .addColumn("transports", "text")
    .addColumn("createdAt", t.date)
    .addColumn("aaguid", "text")
    .execute();
  await db.schema
    .createTable("auth_apikey")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("configId", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("start", "text")
    .addColumn("referenceId", "text", (c) => c.notNull())
    .addColumn("prefix", "text")
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("refillInterval", "integer")
    .addColumn("refillAmount", "integer")
    .addColumn("lastRefillAt", t.date)
    .addColumn("enabled", t.bool)
    .addColumn("rateLimitEnabled", t.bool)
    .addColumn("rateLimitTimeWindow", "integer")
    .addColumn("rateLimitMax", "integer")
    .addColumn("requestCount", "integer")
    .addColumn("remaining", "integer")
    .addColumn("lastRequest", t.date)
    .addColumn("expiresAt", t.date)
    .addColumn("createdAt", t.date, (c) => c.notNull())
    .addColumn("updatedAt", t.date, (c) => c.notNull())
    .addColumn("permissions", "text")
    .addColumn("metadata", "text")
    .execute();
  const indexes: [string, string][] = [
    ["auth_session", "userId"],
    ["auth_account", "userId"],
    ["auth_verification", "identifier"],
    ["auth_two_factor", "secret"],
    ["auth_two_factor", "userId"],
    ["auth_passkey", "userId"],
    ["auth_passkey", "credentialID"],
    ["auth_apikey", "configId"],
    ["auth_apikey", "referenceId"],
    ["auth_apikey", "key"],
  ];
  for (const [table, column] of indexes) {
    await db.schema.createIndex(`${table}_${column}_idx`).on(table).column(column).execute();
  }
}

async function stewardTables(db: Kysely<unknown>) {
  await db.schema
    .createTable("accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("groups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("builtin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("group_members")
    .addColumn("group_id", "text", (c) => c.notNull().references("groups.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("auth_user.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("group_members_pk", ["group_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("group_members_user_idx")
    .on("group_members")
    .column("user_id")
    .execute();
  await db.schema
    .createTable("grants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("principal_type", "text", (c) => c.notNull())
    .addColumn("principal_id", "text", (c) => c.notNull())
    .addColumn("scope_type", "text", (c) => c.notNull())
    .addColumn("scope_id", "text", (c) => c.notNull())
    .addColumn("role_rank", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("grants_principal_scope_uq", [
      "principal_type",
      "principal_id",
      "scope_type",
      "scope_id",
    ])
    .execute();
  await db.schema
    .createIndex("grants_scope_idx")
    .on("grants")
    .columns(["scope_type", "scope_id"])
    .execute();
  await db.schema
    .createTable("audit_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("actor_name", "text")
    .addColumn("ip", "text")
    .addColumn("request_id", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    .addColumn("account_id", "text")
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("diff", "text")
    .execute();
  for (const column of ["at", "actor_id", "action", "target_id", "account_id"]) {
    await db.schema
      .createIndex(`audit_events_${column}_idx`)
      .on("audit_events")
      .column(column)
      .execute();
  }
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("secret", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  // The immutable super group exists from the start.
  await sql`insert into groups (id, name, description, builtin, created_at)
    values ('super', 'super', 'System administrators: admin everywhere, system privileges', 1, ${Date.now()})`.execute(
    db,
  );
}

export const m001_foundation = (dialect: Dialect): Migration => ({
  async up(db) {
    await authTables(db, dialect);
    await stewardTables(db);
  },
});
