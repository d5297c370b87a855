// A strict, recording fake of GitHub's OAuth web flow for an OAuth App (GitHub cannot be
// reached from the test machine), on 127.0.0.1 and a random port, as documented at
// docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps:
// - `GET /login/oauth/authorize`: the client id, the registered redirect_uri, a state, the
//   scopes and PKCE's S256 challenge must be there; the user `as(login)` chose authorizes,
//   and the answer is GitHub's redirect to redirect_uri with a one-time code and the state
//   passed through unchanged;
// - `POST /login/oauth/access_token`: a form (or JSON) with the client id and secret, the
//   code (once, for ten minutes, issued to that client), the same redirect_uri and the PKCE
//   verifier; JSON only when asked with `Accept: application/json` (GitHub answers a form
//   otherwise); GitHub's refusals are 200s with `{error, error_description, error_uri}`;
// - `GET /user`, `GET /user/emails`: with `Authorization: Bearer <token>` it issued, a
//   User-Agent and a JSON Accept header (GitHub refuses a request without a User-Agent).
// Every request is recorded (method, path, status, and what was wrong), never a credential.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface FakeGithubUser {
  id: number;
  login: string;
  name?: string;
  /** the public email on the profile (null: private) */
  email?: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface GithubOAuthFakeOptions {
  clientId: string;
  clientSecret: string;
  /** the "Authorization callback URL" registered on the OAuth App */
  callbackUrl: string;
  users: FakeGithubUser[];
}

export interface GithubOAuthFakeRequest {
  method: string;
  path: string;
  status: number;
  /** what the fake refused, if it did ("bad_verification_code", "no state"...) */
  refused: string | null;
  /** the state the authorize request carried (passed back unchanged) */
  state?: string;
}

export interface GithubOAuthFake {
  base: string;
  requests: GithubOAuthFakeRequest[];
  /** the GitHub user who authorizes next (as if signed in on github.com) */
  as(login: string): void;
  /** registers another callback URL (a panel whose port is known only once it started) */
  setCallbackUrl(url: string): void;
  stop(): Promise<void>;
}

const TOKEN_DOCS =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";
const CODE_TTL_MS = 10 * 60_000;

interface Code {
  login: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  until: number;
}

export async function startGithubOAuthFake(opts: GithubOAuthFakeOptions): Promise<GithubOAuthFake> {
  const codes = new Map<string, Code>();
  const tokens = new Map<string, string>();
  const requests: GithubOAuthFakeRequest[] = [];
  let current = opts.users[0]?.login ?? "";
  let callbackUrl = opts.callbackUrl;

  function authorize(url: URL): { status: number; location?: string; refused: string | null } {
    const q = url.searchParams;
    const must = (ok: boolean, why: string) => (ok ? null : why);
    const refused =
      must(q.get("client_id") === opts.clientId, "unknown client_id") ??
      must(q.get("redirect_uri") === callbackUrl, "redirect_uri is not the registered one") ??
      must(Boolean(q.get("state")), "no state") ??
      must(q.get("response_type") === "code", "response_type is not code") ??
      must((q.get("scope") ?? "").split(/[ ,]/).includes("user:email"), "scope lacks user:email") ??
      must(q.get("code_challenge_method") === "S256", "code_challenge_method is not S256") ??
      must(/^[A-Za-z0-9_-]{43}$/.test(q.get("code_challenge") ?? ""), "no code_challenge");
    if (refused) return { status: 400, refused };
    const code = randomBytes(10).toString("hex");
    codes.set(code, {
      login: current,
      clientId: opts.clientId,
      redirectUri: q.get("redirect_uri") ?? "",
      challenge: q.get("code_challenge") ?? "",
      until: Date.now() + CODE_TTL_MS,
    });
    const back = new URL(callbackUrl);
    back.searchParams.set("code", code);
    back.searchParams.set("state", q.get("state") ?? "");
    return { status: 302, location: back.toString(), refused: null };
  }

  function exchange(req: IncomingMessage, raw: string): { body: unknown; refused: string | null } {
    const type = req.headers["content-type"] ?? "";
    const form: Record<string, string> = type.startsWith("application/json")
      ? (JSON.parse(raw) as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));
    const error = (code: string, description: string) => ({
      body: { error: code, error_description: description, error_uri: TOKEN_DOCS },
      refused: code,
    });
    if (form.client_id !== opts.clientId || form.client_secret !== opts.clientSecret)
      return error(
        "incorrect_client_credentials",
        "The client_id and/or client_secret passed are incorrect.",
      );
    const code = codes.get(form.code ?? "");
    codes.delete(form.code ?? "");
    if (!code || code.until < Date.now() || code.clientId !== form.client_id)
      return error("bad_verification_code", "The code passed is incorrect or expired.");
    if (form.redirect_uri !== code.redirectUri)
      return error(
        "redirect_uri_mismatch",
        "The redirect_uri MUST match the registered callback URL for this application.",
      );
    const verifier = form.code_verifier ?? "";
    if (createHash("sha256").update(verifier).digest("base64url") !== code.challenge)
      return error("bad_verification_code", "The code_verifier does not match the challenge.");
    const token = `gho_${randomBytes(18).toString("base64url")}`;
    tokens.set(token, code.login);
    return {
      body: { access_token: token, token_type: "bearer", scope: "read:user,user:email" },
      refused: null,
    };
  }

  function api(req: IncomingMessage, path: string): { status: number; body: unknown } {
    if (!req.headers["user-agent"])
      return { status: 403, body: { message: "Request forbidden by administrative rules." } };
    const accept = req.headers.accept ?? "";
    if (!/application\/(vnd\.github\+)?json/.test(accept))
      return { status: 415, body: { message: "Unsupported Accept header" } };
    const token = /^Bearer (gho_[A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? "")?.[1];
    const login = token ? tokens.get(token) : undefined;
    const user = opts.users.find((u) => u.login === login);
    if (!user) return { status: 401, body: { message: "Bad credentials" } };
    if (path === "/user")
      return {
        status: 200,
        body: {
          id: user.id,
          login: user.login,
          name: user.name ?? null,
          email: user.email ?? null,
          avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
          type: "User",
        },
      };
    if (path === "/user/emails")
      return { status: 200, body: user.emails.map((e) => ({ ...e, visibility: null })) };
    return { status: 404, body: { message: "Not Found" } };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const method = req.method ?? "GET";
      const record = (status: number, refused: string | null, state?: string) =>
        requests.push({ method, path: url.pathname, status, refused, ...(state ? { state } : {}) });
      const send = (status: number, body: unknown, type = "application/json") => {
        res.writeHead(status, { "content-type": type });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
      };
      if (url.pathname === "/login/oauth/authorize" && method === "GET") {
        const out = authorize(url);
        record(out.status, out.refused, url.searchParams.get("state") ?? undefined);
        if (out.location) {
          res.writeHead(302, { location: out.location });
          res.end();
        } else send(out.status, out.refused ?? "", "text/plain");
        return;
      }
      if (url.pathname === "/login/oauth/access_token" && method === "POST") {
        const out = exchange(req, Buffer.concat(chunks).toString("utf8"));
        const json = /application\/json/.test(req.headers.accept ?? "");
        record(200, out.refused ?? (json ? null : "no JSON Accept"));
        if (json) send(200, out.body);
        else
          send(
            200,
            new URLSearchParams(out.body as Record<string, string>).toString(),
            "application/x-www-form-urlencoded",
          );
        return;
      }
      if ((url.pathname === "/user" || url.pathname === "/user/emails") && method === "GET") {
        const out = api(req, url.pathname);
        record(
          out.status,
          out.status === 200 ? null : String((out.body as { message: string }).message),
        );
        send(out.status, out.body);
        return;
      }
      record(404, "no such endpoint");
      send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    as(login) {
      current = login;
    },
    setCallbackUrl(url) {
      callbackUrl = url;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
