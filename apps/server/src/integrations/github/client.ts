// GitHub's REST API (docs.github.com/rest, version 2022-11-28), the part template generation
// needs: the App itself (`GET /app`, with the App's JWT), its installations (`GET
// /app/installations`), where it is installed (`GET /orgs/{org}/installation`, `GET
// /users/{username}/installation`, `GET /repos/{owner}/{repo}/installation`), an installation access token (`POST
// /app/installations/{id}/access_tokens`), a repository and one of its branches, and `POST
// /repos/{template_owner}/{template_repo}/generate`; for sign in with GitHub, the user an OAuth
// token belongs to (`GET /user`, `GET /user/emails`). Every request carries `Accept:
// application/vnd.github+json`, the API version header and a User-Agent (GitHub refuses a
// request without one); requests go out under the outbound policy (lib/outbound-http.ts), the
// base URL configurable (`githubApi`) so tests talk to packages/testkit's fake. A refusal
// throws a GithubError carrying GitHub's payload (message, errors[], documentation_url): never
// a request's token, which GitHub does not echo.
import { type OutboundOptions, outboundRequest } from "../../lib/outbound-http.ts";

export const GITHUB_API = "https://api.github.com";
export const GITHUB_API_VERSION = "2022-11-28";

interface ApiErrorItem {
  resource?: string;
  field?: string;
  code?: string;
  message?: string;
}

/** GitHub said no: the HTTP status and what its answer said, bounded. */
export class GithubError extends Error {
  readonly status: number;
  constructor(status: number, payload: unknown) {
    super(describe(status, payload));
    this.status = status;
  }
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…` : s);

/** GitHub's error payload in one line: message, each error's field and words, the docs link. */
function describe(status: number, payload: unknown): string {
  const p = (payload && typeof payload === "object" ? payload : {}) as {
    message?: unknown;
    errors?: unknown;
    documentation_url?: unknown;
  };
  const parts = [`GitHub answered HTTP ${status}`];
  if (typeof p.message === "string") parts[0] += `: ${clip(p.message, 200)}`;
  if (Array.isArray(p.errors)) {
    const items = (p.errors as (ApiErrorItem | string)[])
      .slice(0, 5)
      .map((e) =>
        typeof e === "string"
          ? clip(e, 120)
          : clip([e.field, e.message ?? e.code].filter(Boolean).join(": "), 120),
      );
    if (items.length) parts.push(`(${items.join("; ")})`);
  }
  if (typeof p.documentation_url === "string" && /^https:\/\//.test(p.documentation_url))
    parts.push(`see ${clip(p.documentation_url, 200)}`);
  return parts.join(" ");
}

export interface GithubInstallation {
  id: number;
  account: { login: string; type: string };
  /** "all" or "selected" */
  repository_selection?: string;
}

/** GitHub answers at most this many installations a page (`per_page`'s maximum). */
export const INSTALLATIONS_PAGE = 100;

export interface GithubRepoInfo {
  full_name: string;
  name: string;
  owner: { login: string };
  private: boolean;
  is_template?: boolean;
  default_branch: string;
  clone_url: string;
  html_url: string;
}

export interface GenerateBody {
  owner?: string;
  name: string;
  description?: string;
  include_all_branches: boolean;
  private: boolean;
}

/** Where an installation is looked up: an organization, a user, or a repository. */
export type InstallationOf = { org: string } | { user: string } | { repo: [string, string] };

export interface GithubClient {
  app(jwt: string): Promise<{ slug: string; name: string; owner: { login: string } }>;
  installation(jwt: string, of: InstallationOf): Promise<GithubInstallation>;
  /** the App's installations, the first page of INSTALLATIONS_PAGE */
  installations(jwt: string): Promise<GithubInstallation[]>;
  accessToken(jwt: string, installationId: number): Promise<{ token: string; expires_at: string }>;
  repo(token: string, owner: string, repo: string): Promise<GithubRepoInfo>;
  branch(token: string, owner: string, repo: string, branch: string): Promise<{ name: string }>;
  generate(token: string, template: [string, string], body: GenerateBody): Promise<GithubRepoInfo>;
  /** the user an OAuth (user-to-server) token belongs to: sign in with GitHub */
  user(token: string): Promise<GithubUser>;
  /** that user's email addresses (the `user:email` scope) */
  userEmails(token: string): Promise<GithubEmail[]>;
}

export interface GithubUser {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  avatar_url: string;
}

export interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

const seg = encodeURIComponent;

export function githubClient(base: string, outbound: Omit<OutboundOptions, "who">): GithubClient {
  async function call<T>(
    method: "GET" | "POST",
    path: string,
    credential: string,
    body?: unknown,
  ): Promise<T> {
    const answer = await outboundRequest(
      {
        field: "githubApi",
        method,
        url: `${base}${path}`,
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${credential}`,
          "user-agent": "Steward",
          "x-github-api-version": GITHUB_API_VERSION,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirects: "none",
      },
      { ...outbound, who: "this panel", maxBytes: 1024 * 1024 },
    );
    let parsed: unknown = null;
    try {
      parsed = answer.body ? JSON.parse(answer.body) : null;
    } catch {
      throw new GithubError(answer.status, { message: "the answer is not JSON" });
    }
    if (answer.status >= 300) throw new GithubError(answer.status, parsed);
    return parsed as T;
  }

  return {
    app: (jwt) => call("GET", "/app", jwt),
    installation(jwt, of) {
      const path =
        "org" in of
          ? `/orgs/${seg(of.org)}/installation`
          : "user" in of
            ? `/users/${seg(of.user)}/installation`
            : `/repos/${seg(of.repo[0])}/${seg(of.repo[1])}/installation`;
      return call("GET", path, jwt);
    },
    installations: (jwt) => call("GET", `/app/installations?per_page=${INSTALLATIONS_PAGE}`, jwt),
    accessToken: (jwt, id) => call("POST", `/app/installations/${id}/access_tokens`, jwt),
    repo: (token, owner, repo) => call("GET", `/repos/${seg(owner)}/${seg(repo)}`, token),
    branch: (token, owner, repo, branch) =>
      call("GET", `/repos/${seg(owner)}/${seg(repo)}/branches/${seg(branch)}`, token),
    generate: (token, [owner, repo], body) =>
      call("POST", `/repos/${seg(owner)}/${seg(repo)}/generate`, token, body),
    user: (token) => call("GET", "/user", token),
    userEmails: (token) => call("GET", "/user/emails", token),
  };
}
