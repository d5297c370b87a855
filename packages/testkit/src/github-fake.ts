// A strict, recording fake of the part of GitHub's REST API (version 2022-11-28) Steward uses
// for template generation, on 127.0.0.1 and a random port. Every request must carry `Accept:
// application/vnd.github+json`, `X-GitHub-Api-Version: 2022-11-28` and a User-Agent (GitHub
// refuses a request without one: 403). App endpoints (`GET /app`, installations of an org, a
// user or a repository, `POST /app/installations/{id}/access_tokens`) take the App's JWT,
// checked as GitHub does (github-fake-jwt.ts: RS256 verified with the App's public key, iat,
// exp at most 10 minutes ahead, iss); repository endpoints take an installation token it
// issued (`ghs_…`, expiring), and see only what that installation reaches. `POST
// /repos/{template_owner}/{template_repo}/generate` takes exactly the documented body (name
// required; owner, description, include_all_branches, private) and answers 201 with the new
// repository, whose branches appear only after `fillAfter` looks (GitHub fills it
// asynchronously). Errors are GitHub's payloads: `{message, documentation_url, status}`, 422
// with `errors[]`. Every request is recorded with its credential's kind, never its value.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { checkAppJwt } from "./github-fake-jwt.ts";

export interface FakeInstallation {
  id: number;
  account: string;
  type: "Organization" | "User";
  /** the repositories it reaches ("owner/name"), or every one of its account */
  repositories: "all" | string[];
}

export interface FakeRepo {
  owner: string;
  name: string;
  template?: boolean;
  private?: boolean;
  defaultBranch?: string;
  branches?: string[];
}

export interface GithubFakeOptions {
  appId: number;
  /** the App's public key (PEM): JWTs must verify with it */
  publicKey: string;
  installations: FakeInstallation[];
  repos: FakeRepo[];
  /** looks at a generated repository's branches answered 404 before it is filled (default 2) */
  fillAfter?: number;
  /** how long installation tokens live (default an hour, as GitHub's) */
  tokenTtlMs?: number;
}

export interface GithubFakeRequest {
  method: string;
  path: string;
  /** "jwt", "token" (an installation token), or "none" */
  credential: "jwt" | "token" | "none";
  body: unknown;
  status: number;
}

export interface GithubFake {
  base: string;
  requests: GithubFakeRequest[];
  /** the repositories as they stand ("owner/name" → repository) */
  repo(fullName: string): (FakeRepo & { branches: string[] }) | undefined;
  /** the installation tokens issued so far */
  tokensIssued(): number;
  /** the next call answers this instead */
  failNext(status: number, payload: Record<string, unknown>): void;
  stop(): Promise<void>;
}

type Answer = { status: number; body: unknown };
const DOCS = "https://docs.github.com/rest";
const fail = (status: number, message: string, docs = DOCS, extra = {}): Answer => ({
  status,
  body: { message, documentation_url: docs, status: String(status), ...extra },
});
const notFound = (docs = DOCS) => fail(404, "Not Found", docs);
const GENERATE_DOCS =
  "https://docs.github.com/rest/repos/repos#create-a-repository-using-a-template";
const GENERATE_KEYS = new Set(["owner", "name", "description", "include_all_branches", "private"]);

export async function startGithubFake(opts: GithubFakeOptions): Promise<GithubFake> {
  const repos = new Map<string, FakeRepo & { branches: string[]; looks: number }>();
  const key = (owner: string, name: string) => `${owner}/${name}`.toLowerCase();
  for (const r of opts.repos)
    repos.set(key(r.owner, r.name), {
      ...r,
      branches: r.branches ?? [r.defaultBranch ?? "main"],
      looks: Number.POSITIVE_INFINITY,
    });
  const tokens = new Map<string, { installation: FakeInstallation; until: number }>();
  const requests: GithubFakeRequest[] = [];
  let failure: Answer | null = null;
  let base = "";

  const reaches = (inst: FakeInstallation, owner: string, name: string) =>
    inst.account.toLowerCase() === owner.toLowerCase() &&
    (inst.repositories === "all" ||
      inst.repositories.some((r) => r.toLowerCase() === key(owner, name)));

  const repoJson = (r: FakeRepo & { branches: string[] }) => ({
    id: 1000 + [...repos.keys()].indexOf(key(r.owner, r.name)),
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: { login: r.owner, type: "User" },
    private: r.private ?? false,
    is_template: r.template ?? false,
    default_branch: r.defaultBranch ?? "main",
    html_url: `https://github.com/${r.owner}/${r.name}`,
    clone_url: `https://github.com/${r.owner}/${r.name}.git`,
    url: `${base}/repos/${r.owner}/${r.name}`,
  });
  const installationJson = (i: FakeInstallation) => ({
    id: i.id,
    account: { login: i.account, type: i.type },
    target_type: i.type,
    app_id: opts.appId,
    repository_selection: i.repositories === "all" ? "all" : "selected",
    permissions: { administration: "write", contents: "read", metadata: "read" },
  });

  function asApp(method: string, parts: string[], body: unknown, query: URLSearchParams): Answer {
    const path = parts.join("/");
    if (path === "app/installations" && method === "GET") {
      // GitHub's paging: per_page 1-100 (default 30), page from 1
      const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? 30) || 30));
      const page = Math.max(1, Number(query.get("page") ?? 1) || 1);
      const slice = opts.installations.slice((page - 1) * perPage, page * perPage);
      return { status: 200, body: slice.map(installationJson) };
    }
    if (path === "app" && method === "GET")
      return {
        status: 200,
        body: {
          id: opts.appId,
          slug: "steward-test",
          name: "Steward Test",
          owner: { login: "acme" },
        },
      };
    const find = (test: (i: FakeInstallation) => boolean, docs: string) => {
      if (method !== "GET") return fail(404, "Not Found");
      const inst = opts.installations.find(test);
      return inst ? { status: 200, body: installationJson(inst) } : notFound(docs);
    };
    if (parts.length === 3 && parts[0] === "orgs" && parts[2] === "installation")
      return find(
        (i) => i.type === "Organization" && i.account.toLowerCase() === parts[1]?.toLowerCase(),
        "https://docs.github.com/rest/apps/apps#get-an-organization-installation-for-the-authenticated-app",
      );
    if (parts.length === 3 && parts[0] === "users" && parts[2] === "installation")
      return find(
        (i) => i.type === "User" && i.account.toLowerCase() === parts[1]?.toLowerCase(),
        "https://docs.github.com/rest/apps/apps#get-a-user-installation-for-the-authenticated-app",
      );
    if (parts.length === 4 && parts[0] === "repos" && parts[3] === "installation")
      return find(
        (i) =>
          repos.has(key(parts[1] ?? "", parts[2] ?? "")) &&
          reaches(i, parts[1] ?? "", parts[2] ?? ""),
        "https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app",
      );
    if (
      parts.length === 4 &&
      parts[0] === "app" &&
      parts[1] === "installations" &&
      parts[3] === "access_tokens"
    ) {
      if (method !== "POST") return fail(404, "Not Found");
      if (body !== null && (typeof body !== "object" || Array.isArray(body)))
        return fail(400, "Problems parsing JSON");
      const inst = opts.installations.find((i) => String(i.id) === parts[2]);
      if (!inst)
        return notFound(
          "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app",
        );
      const token = `ghs_${randomBytes(18).toString("hex")}`;
      const until = Date.now() + (opts.tokenTtlMs ?? 3_600_000);
      tokens.set(token, { installation: inst, until });
      return {
        status: 201,
        body: {
          token,
          expires_at: new Date(until).toISOString().replace(/\.\d{3}Z$/, "Z"),
          permissions: installationJson(inst).permissions,
          repository_selection: installationJson(inst).repository_selection,
        },
      };
    }
    return fail(401, "A JSON web token could not be decoded");
  }

  function asInstallation(
    method: string,
    parts: string[],
    body: unknown,
    inst: FakeInstallation,
  ): Answer {
    if (parts[0] !== "repos" || parts.length < 3)
      return fail(403, "Resource not accessible by integration");
    const [, owner = "", name = ""] = parts;
    const r = repos.get(key(owner, name));
    if (!r || !reaches(inst, owner, name)) return notFound();
    if (parts.length === 3 && method === "GET") return { status: 200, body: repoJson(r) };
    if (parts.length === 5 && parts[3] === "branches" && method === "GET") {
      r.looks += 1;
      const filled = r.looks > (opts.fillAfter ?? 2);
      if (!filled || !r.branches.includes(parts[4] ?? ""))
        return fail(
          404,
          "Branch not found",
          "https://docs.github.com/rest/branches/branches#get-a-branch",
        );
      return {
        status: 200,
        body: { name: parts[4], commit: { sha: "0".repeat(40) }, protected: false },
      };
    }
    if (parts.length === 4 && parts[3] === "generate" && method === "POST")
      return generate(r, body, inst);
    return notFound();
  }

  function generate(
    template: FakeRepo & { branches: string[] },
    body: unknown,
    inst: FakeInstallation,
  ): Answer {
    if (!body || typeof body !== "object" || Array.isArray(body))
      return fail(400, "Problems parsing JSON", GENERATE_DOCS);
    const b = body as Record<string, unknown>;
    const extra = Object.keys(b).find((k) => !GENERATE_KEYS.has(k));
    if (extra)
      return fail(422, `Invalid request.\n\n"${extra}" is not a permitted key.`, GENERATE_DOCS);
    if (typeof b.name !== "string")
      return fail(422, 'Invalid request.\n\n"name" wasn\'t supplied.', GENERATE_DOCS);
    for (const [field, type] of [
      ["owner", "string"],
      ["description", "string"],
      ["include_all_branches", "boolean"],
      ["private", "boolean"],
    ] as const)
      if (b[field] !== undefined && typeof b[field] !== type)
        return fail(
          422,
          `Invalid request.\n\nFor '${field}', ${JSON.stringify(b[field])} is not a ${type}.`,
          GENERATE_DOCS,
        );
    if (!template.template)
      return fail(
        422,
        `${template.owner}/${template.name} is not a template repository`,
        GENERATE_DOCS,
      );
    const owner = (b.owner as string | undefined) ?? inst.account;
    if (owner.toLowerCase() !== inst.account.toLowerCase())
      return fail(403, "Resource not accessible by integration", GENERATE_DOCS);
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(b.name))
      return fail(422, "Repository creation failed.", GENERATE_DOCS, {
        errors: [
          { resource: "Repository", code: "custom", field: "name", message: "name is invalid" },
        ],
      });
    if (repos.has(key(owner, b.name)))
      return fail(422, "Repository creation failed.", GENERATE_DOCS, {
        errors: [
          {
            resource: "Repository",
            code: "custom",
            field: "name",
            message: "name already exists on this account",
          },
        ],
      });
    const branch = template.defaultBranch ?? "main";
    const made = {
      owner: inst.account,
      name: b.name,
      private: b.private === true,
      defaultBranch: branch,
      branches: b.include_all_branches === true ? [...template.branches] : [branch],
      looks: 0,
    };
    repos.set(key(owner, b.name), made);
    return { status: 201, body: repoJson(made) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const text = Buffer.concat(chunks).toString("utf8");
    const h = req.headers;
    const auth = /^(?:Bearer|token) (\S+)$/.exec(h.authorization ?? "")?.[1] ?? "";
    const credential = auth.startsWith("ghs_") ? "token" : auth.includes(".") ? "jwt" : "none";
    let body: unknown = null;
    let answer: Answer | null = null;
    if (!h["user-agent"])
      answer = fail(
        403,
        "Request forbidden by administrative rules. Please make sure your request has a User-Agent header",
      );
    else if (h.accept !== "application/vnd.github+json")
      answer = fail(415, "Steward's client must ask for application/vnd.github+json");
    else if (h["x-github-api-version"] !== "2022-11-28")
      answer = fail(400, `API version ${h["x-github-api-version"] ?? "(none)"} is not supported.`);
    if (!answer && text) {
      if (!(h["content-type"] ?? "").startsWith("application/json"))
        answer = fail(415, "Unsupported 'Content-Type' header");
      try {
        body = JSON.parse(text);
      } catch {
        answer ??= fail(400, "Problems parsing JSON");
      }
    }
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (!answer && failure) {
      answer = failure;
      failure = null;
    }
    if (!answer && credential === "jwt") {
      const check = checkAppJwt(auth, opts.publicKey, [String(opts.appId)]);
      answer = check.refusal
        ? fail(401, check.refusal)
        : asApp(method, parts, body, url.searchParams);
    }
    if (!answer) {
      const held = tokens.get(auth);
      answer =
        !held || held.until <= Date.now()
          ? fail(401, "Bad credentials")
          : asInstallation(method, parts, body, held.installation);
    }
    requests.push({ method, path: url.pathname, credential, body, status: answer.status });
    res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: err.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    base,
    requests,
    repo: (fullName) => {
      const r = repos.get(fullName.toLowerCase());
      return r ? { ...r } : undefined;
    },
    tokensIssued: () => tokens.size,
    failNext(status, payload) {
      failure = { status, body: payload };
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
