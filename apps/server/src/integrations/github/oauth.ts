// GitHub's OAuth web flow (docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps),
// the part sign in with GitHub needs: the authorize page's URL is better-auth's to build; this
// is the code's exchange, `POST {githubWeb}/login/oauth/access_token` with the client id and
// secret, the code, the redirect URI and PKCE's verifier, asking for JSON (GitHub answers a
// form otherwise). GitHub answers a refused code with 200 and `{error, error_description}`:
// that is a refusal here too. Under the outbound policy, the base configurable (`githubWeb`)
// so tests talk to packages/testkit's fake. Neither the secret nor a token is ever in a message.
import { type OutboundOptions, outboundRequest } from "../../lib/outbound-http.ts";

export interface CodeExchange {
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
  codeVerifier?: string | undefined;
}

export interface GithubUserToken {
  accessToken: string;
  tokenType: string;
  scopes: string[];
}

/** GitHub did not give a token: its `error` code and description (never a credential). */
export class GithubOAuthError extends Error {}

export async function exchangeCode(
  web: string,
  outbound: Omit<OutboundOptions, "who">,
  q: CodeExchange,
): Promise<GithubUserToken> {
  const form = new URLSearchParams({
    client_id: q.clientId,
    client_secret: q.clientSecret,
    code: q.code,
    redirect_uri: q.redirectUri,
  });
  if (q.codeVerifier) form.set("code_verifier", q.codeVerifier);
  const answer = await outboundRequest(
    {
      field: "githubWeb",
      method: "POST",
      url: `${web}/login/oauth/access_token`,
      headers: {
        accept: "application/json",
        "content-type": "application/x-www-form-urlencoded",
        "user-agent": "Steward",
      },
      body: form.toString(),
      redirects: "none",
    },
    { ...outbound, who: "this panel", maxBytes: 64 * 1024 },
  );
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(answer.body) ?? {};
  } catch {
    throw new GithubOAuthError(`GitHub answered HTTP ${answer.status} without JSON`);
  }
  if (answer.status !== 200 || typeof body.access_token !== "string") {
    const code = typeof body.error === "string" ? body.error.slice(0, 100) : "no token";
    const words =
      typeof body.error_description === "string" ? `: ${body.error_description.slice(0, 200)}` : "";
    throw new GithubOAuthError(`GitHub refused the code (HTTP ${answer.status}, ${code}${words})`);
  }
  return {
    accessToken: body.access_token,
    tokenType: typeof body.token_type === "string" ? body.token_type : "bearer",
    scopes: typeof body.scope === "string" && body.scope ? body.scope.split(",") : [],
  };
}
