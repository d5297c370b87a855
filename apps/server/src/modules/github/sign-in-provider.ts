// better-auth's GitHub provider for sign in with GitHub, as a genericOAuth configuration: the
// built-in `socialProviders.github` has GitHub's URLs written in, and the client id and secret
// fixed when better-auth starts, while Steward's are settings a super user changes at run time
// and its tests talk to a fake GitHub. So: GitHub's real endpoints by default (`githubWeb`,
// `githubApi`, overridden only by configuration), PKCE and `state` as better-auth does them,
// the code exchanged and the user read through Steward's GitHub client under the outbound
// policy. Nobody signs up through it (`disableSignUp`): a GitHub account signs in only once
// linked to a Steward user (better-auth's link-social, while signed in).
import type { GenericOAuthConfig } from "better-auth/plugins/generic-oauth";
import { exchangeCode } from "../../integrations/github/oauth.ts";
import { GITHUB_PROVIDER } from "../users/repo.ts";
import { clientFor, type GithubSettings, outboundFor } from "./client.ts";
import type { GithubSignIn, SignInCredentials } from "./sign-in.ts";

export { GITHUB_PROVIDER };

export function githubSignInProvider(settings: GithubSettings, signIn: GithubSignIn) {
  /** the credentials read by the last prepare(): the authorize URL is built synchronously */
  let prepared: SignInCredentials | null = null;
  async function credentials() {
    const now = await signIn.current();
    if (!now) throw new Error("sign in with GitHub is not enabled");
    return now;
  }

  const config: GenericOAuthConfig = {
    providerId: GITHUB_PROVIDER,
    name: "GitHub",
    get clientId() {
      return prepared?.clientId ?? "";
    },
    authorizationUrl: `${settings.githubWeb}/login/oauth/authorize`,
    scopes: ["read:user", "user:email"],
    pkce: true,
    disableSignUp: true,
    disableImplicitSignUp: true,
    async getToken({ code, redirectURI, codeVerifier }) {
      const { clientId, clientSecret } = await credentials();
      const token = await exchangeCode(settings.githubWeb, outboundFor(settings), {
        clientId,
        clientSecret,
        code,
        redirectUri: redirectURI,
        codeVerifier,
      });
      return {
        accessToken: token.accessToken,
        tokenType: token.tokenType,
        scopes: token.scopes,
      };
    },
    async getUserInfo(tokens) {
      if (!tokens.accessToken) return null;
      const client = clientFor(settings);
      const [user, emails] = await Promise.all([
        client.user(tokens.accessToken),
        client.userEmails(tokens.accessToken),
      ]);
      const primary = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified);
      return {
        id: String(user.id),
        email: (primary?.email ?? user.email ?? "").toLowerCase(),
        emailVerified: primary !== undefined,
        name: user.name || user.login,
        image: user.avatar_url,
        login: user.login,
      };
    },
  };

  return {
    config,
    /** reads the settings again before a GitHub endpoint is forwarded; false when off */
    async prepare() {
      prepared = await signIn.current();
      return prepared !== null;
    },
  };
}

export type GithubSignInProvider = ReturnType<typeof githubSignInProvider>;
