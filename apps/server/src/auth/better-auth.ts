// better-auth does identity: passwords, sessions, TOTP with recovery codes, passkeys and API
// keys. Its tables are the auth_* tables of migration 001; it shares Steward's Kysely instance.
import { apiKey } from "@better-auth/api-key";
import { passkey } from "@better-auth/passkey";
import { APIError, betterAuth } from "better-auth";
import { twoFactor } from "better-auth/plugins/two-factor";
import type { Db } from "../db/open.ts";
import { newId } from "../lib/ids.ts";

export interface AuthOptions {
  db: Db;
  secret: string;
  publicUrl: string;
}

export const API_KEY_PREFIX = "stw_";

export function createAuth({ db, secret, publicUrl }: AuthOptions) {
  const url = new URL(publicUrl);
  return betterAuth({
    appName: "Steward",
    baseURL: publicUrl,
    basePath: "/api/auth",
    secret,
    trustedOrigins: [url.origin],
    database: { db: db.db, type: db.dialect === "postgres" ? "postgres" : "sqlite" },
    telemetry: { enabled: false },
    user: {
      modelName: "auth_user",
      additionalFields: {
        disabled: { type: "boolean", defaultValue: false, input: false, required: false },
      },
    },
    session: { modelName: "auth_session", expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    account: { modelName: "auth_account" },
    verification: { modelName: "auth_verification" },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true, // users are created by an administrator (or by first-run setup)
      minPasswordLength: 10,
      maxPasswordLength: 128,
    },
    // Steward limits authentication attempts itself (per IP in HTTP, per user by audit).
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: "steward",
      useSecureCookies: url.protocol === "https:",
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      database: { generateId: ({ model }) => newId(model.replace(/^auth_/, "").slice(0, 4)) },
    },
    databaseHooks: {
      session: {
        create: {
          async before(session) {
            const user = await db.db
              .selectFrom("auth_user")
              .select("disabled")
              .where("id", "=", session.userId)
              .executeTakeFirst();
            if (!user || Number(user.disabled) === 1 || user.disabled === true) {
              throw new APIError("FORBIDDEN", { message: "This user is disabled." });
            }
          },
        },
      },
    },
    plugins: [
      twoFactor({ issuer: "Steward", schema: { twoFactor: { modelName: "auth_two_factor" } } }),
      passkey({
        rpID: url.hostname,
        rpName: "Steward",
        origin: url.origin,
        schema: { passkey: { modelName: "auth_passkey" } },
      }),
      apiKey({
        defaultPrefix: API_KEY_PREFIX,
        enableMetadata: true,
        rateLimit: { enabled: false },
        keyExpiration: { maxExpiresIn: 3650 },
        schema: { apikey: { modelName: "auth_apikey" } },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
