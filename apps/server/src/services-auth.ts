// better-auth's part of the services (services.ts loads it when a service first needs it:
// a password to hash, an API key to create, the HTTP API's sign-in and session cookies).
// better-auth with its plugins is ~350 modules, which the other commands never load.
import { type AuthOptions, createAuth } from "./auth/better-auth.ts";
import { createSessionCookieReader } from "./auth/session-cookie.ts";
import type { GithubSettings } from "./modules/github/client.ts";
import type { GithubSignIn } from "./modules/github/sign-in.ts";
import { githubSignInProvider } from "./modules/github/sign-in-provider.ts";

export async function composeAuth(
  options: Omit<AuthOptions, "github">,
  github: { settings: GithubSettings; signIn: GithubSignIn },
) {
  const githubProvider = githubSignInProvider(github.settings, github.signIn);
  const auth = await createAuth({ ...options, github: githubProvider.config });
  return {
    auth,
    /** sign in with GitHub's provider: prepare() before forwarding one of its endpoints */
    githubProvider,
    /** better-auth's resolved options: its password hasher, its secret */
    context: await auth.$context,
    /** the token of a request's signed session cookie (identity plugin) */
    sessionTokenOf: createSessionCookieReader(auth),
  };
}

export type AuthPart = Awaited<ReturnType<typeof composeAuth>>;
