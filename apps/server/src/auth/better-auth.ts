// better-auth does identity: passwords, sessions, TOTP with recovery codes, passkeys and API
// keys. Its tables are the auth_* tables of migration 001; it shares Steward's Kysely instance.
import { apiKey } from "@better-auth/api-key";
import { passkey } from "@better-auth/passkey";
import { v } from "@steward/contracts";
import { APIError, type BetterAuthOptions, betterAuth } from "better-auth";
import { getAdapter } from "better-auth/db/adapter";
import { type GenericOAuthConfig, genericOAuth } from "better-auth/plugins/generic-oauth";
import { twoFactor } from "better-auth/plugins/two-factor";
import type { Logger } from "pino";
import { z } from "zod";
import { actorsChanged } from "../access/actor-changes.ts";
import type { Db } from "../db/open.ts";
import { newId } from "../lib/ids.ts";
import { sessionGate } from "../modules/users/repo.ts";
import { hashingSessionTokens } from "./session-tokens.ts";

export interface AuthOptions {
  db: Db;
  secret: string;
  publicUrl: string;
  /** more origins allowed to call the auth endpoints (the loopback addresses by default) */
  extraOrigins?: string[];
  /** better-auth's own messages go to Steward's log (JSON, with its level) */
  log?: Logger;
  /** sign in with GitHub (modules/github/sign-in-provider.ts); off until a super user sets it */
  github?: GenericOAuthConfig;
}

/** Where a refused GitHub sign-in lands: the console's sign-in page says why (`?error=`). */
export const SIGN_IN_PAGE = "/sign-in";

export const API_KEY_PREFIX = "stw_";

/** What a user may change of its own profile through better-auth. */
const profileChange = z.object({
  name: v.label(100).optional(),
  image: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .optional(),
});

/** An OAuth account's row without the provider's tokens (the password's has none). */
function withoutTokens<T extends Record<string, unknown>>(data: T): T {
  const tokens = ["accessToken", "refreshToken", "idToken"].filter((k) => k in data);
  return tokens.length ? { ...data, ...Object.fromEntries(tokens.map((k) => [k, null])) } : data;
}

/** The options Steward gives better-auth; also used by the schema-compatibility test. */
export function authOptions({
  db,
  secret,
  publicUrl,
  extraOrigins = [],
  log,
  github,
}: AuthOptions) {
  const url = new URL(publicUrl);
  return {
    appName: "Steward",
    logger: {
      level: "warn",
      log: (level: "debug" | "info" | "warn" | "error", message: string, ...args: unknown[]) =>
        log?.[level]({ component: "better-auth", args: args.length ? args : undefined }, message),
    },
    baseURL: publicUrl,
    basePath: "/api/auth",
    secret,
    trustedOrigins: [url.origin, ...extraOrigins],
    database: { db: db.db, type: db.dialect === "postgres" ? "postgres" : "sqlite" },
    telemetry: { enabled: false },
    user: {
      modelName: "auth_user",
      additionalFields: {
        disabled: { type: "boolean", defaultValue: false, input: false, required: false },
      },
    },
    session: { modelName: "auth_session", expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    account: {
      modelName: "auth_account",
      // A GitHub account is linked only explicitly, by its user while signed in (link-social:
      // GitHub's email may differ from the Steward user's); never by a matching email at
      // sign-in, and nobody signs up through GitHub (the provider's disableSignUp).
      accountLinking: {
        enabled: true,
        disableImplicitLinking: true,
        allowDifferentEmails: true,
        trustedProviders: ["github"],
      },
    },
    onAPIError: { errorURL: `${url.origin}${SIGN_IN_PAGE}` },
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
      // better-auth skips origin (CSRF) checks when NODE_ENV=test or TEST is set; Steward
      // checks origins always, so tests exercise what production does.
      disableOriginCheck: false,
      database: {
        generateId: ({ model }) =>
          newId(
            model
              .replace(/^auth_/, "")
              .replace(/_/g, "")
              .slice(0, 4),
          ),
      },
    },
    databaseHooks: {
      account: {
        // A GitHub sign-in needs GitHub's token once, to read who the user is; Steward never
        // acts on GitHub as the user, so the token is not kept.
        create: { before: async (account) => ({ data: withoutTokens(account) }) },
        update: { before: async (account) => ({ data: withoutTokens(account) }) },
      },
      user: {
        update: {
          // /api/auth/update-user is open to every signed-in user: Steward's validators apply.
          async before(data) {
            const r = profileChange.safeParse({ name: data.name, image: data.image });
            if (!r.success) {
              const issue = r.error.issues[0];
              throw new APIError("BAD_REQUEST", {
                message: `${issue?.path.join(".") ?? "body"}: ${issue?.message ?? "invalid"}`,
              });
            }
            return { data: r.data.name === undefined ? data : { ...data, name: r.data.name } };
          },
        },
      },
      session: {
        create: {
          async before(session, ctx) {
            const gate = await sessionGate(db.db, session.userId);
            if (!gate || gate.disabled) {
              throw new APIError("FORBIDDEN", {
                code: "user_disabled",
                message: "This user is disabled.",
              });
            }
            // better-auth's two-factor step follows password sign-ins only: a user with TOTP
            // signs in with the password and the code, never with GitHub alone.
            if (gate.twoFactor && ctx?.path.startsWith("/callback/")) {
              throw new APIError("FORBIDDEN", {
                code: "two_factor_required",
                message: "This user has two-factor authentication: sign in with the password.",
              });
            }
          },
        },
      },
    },
    plugins: [
      twoFactor({ issuer: "Steward", schema: { twoFactor: { modelName: "auth_two_factor" } } }),
      genericOAuth({ config: github ? [github] : [] }),
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
  } satisfies BetterAuthOptions;
}

/**
 * better-auth on Steward's database, with session tokens stored hashed (session-tokens.ts)
 * and its changes of sessions, users and keys announced to the cached callers.
 */
export async function createAuth(opts: AuthOptions) {
  const options = authOptions(opts);
  const adapter = hashingSessionTokens(await getAdapter(options), () => actorsChanged(opts.db.db));
  return betterAuth({ ...options, database: () => adapter });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;
