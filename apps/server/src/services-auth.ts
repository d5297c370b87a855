// better-auth's part of the services (services.ts loads it when a service first needs it:
// a password to hash, an API key to create, the HTTP API's sign-in and session cookies).
// better-auth with its plugins is ~350 modules, which the other commands never load.
import { type AuthOptions, createAuth } from "./auth/better-auth.ts";
import { createSessionCookieReader } from "./auth/session-cookie.ts";

export async function composeAuth(options: AuthOptions) {
  const auth = await createAuth(options);
  return {
    auth,
    /** better-auth's resolved options: its password hasher, its secret */
    context: await auth.$context,
    /** the token of a request's signed session cookie (identity plugin) */
    sessionTokenOf: createSessionCookieReader(auth),
  };
}

export type AuthPart = Awaited<ReturnType<typeof composeAuth>>;
