// A hermetic git server: bare repositories under a temp DIR served over git's smart HTTP by
// Debian's `git http-backend` (CGI) behind a node:https server with a throwaway CA, so clients
// clone over https:// as from a forge. It can require a token (HTTP Basic, any user name, the
// token as password, as GitHub and Gitea take it) and records every request's method, path
// and whether it carried the token (so tests can check a token never travels in a URL).
// `commit()` writes files into a repository's branch through a work tree (git as argv).
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./ports.ts";
import { missing } from "./system.ts";
import { localCertificate, testCa } from "./tls.ts";

const run = promisify(execFile);
const GIT = "/usr/bin/git";
const BACKEND = "/usr/lib/git-core/git-http-backend";

export interface GitRequest {
  method: string;
  /** path and query as received */
  url: string;
  authorized: boolean;
}

export interface GitServer {
  /** https://LISTEN:PORT */
  url: string;
  /** the loopback address served on */
  listen: string;
  /** where the bare repositories are (NAME.git) */
  reposDir: string;
  port: number;
  /** the CA that signed the server's certificate (PEM), and a file holding it */
  ca: string;
  caFile: string;
  requests: GitRequest[];
  /** when set, every request must carry it (401 otherwise) */
  token: string | null;
  /** a new bare repository `name` (ending in .git); its clone URL */
  create(name: string): Promise<string>;
  /** commits `files` (path -> content) on `branch` of `name`; answers the commit id */
  commit(name: string, branch: string, files: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

const gitEnv = {
  PATH: "/usr/bin:/bin",
  HOME: "/nonexistent",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

function authorized(header: string | undefined, token: string | null): boolean {
  if (token === null) return true;
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? "");
  if (!m?.[1]) return false;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  return decoded.slice(decoded.indexOf(":") + 1) === token;
}

/** `listen`: the loopback address served on (127.0.0.1 unless said). */
export async function startGitServer(listen = "127.0.0.1"): Promise<GitServer | null> {
  if (!existsSync(GIT) || !existsSync(BACKEND)) return missing("git", "apt-get install git");
  const dir = mkdtempSync(join(tmpdir(), "steward-git-"));
  const repos = join(dir, "repos");
  mkdirSync(repos);
  const ca = await testCa("steward git test CA");
  const leaf = await localCertificate(ca, listen, [listen, "localhost"]);
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, ca.certificate);
  const requests: GitRequest[] = [];
  const state = { token: null as string | null };
  const server: Server = createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
    const ok = authorized(req.headers.authorization, state.token);
    requests.push({ method: req.method ?? "", url: req.url ?? "", authorized: ok });
    if (!ok) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(req.url ?? "/", "https://git");
    const cgi = spawn(BACKEND, [], {
      env: {
        ...gitEnv,
        GIT_PROJECT_ROOT: repos,
        GIT_HTTP_EXPORT_ALL: "1",
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_ADDR: "127.0.0.1",
        HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
      },
      stdio: ["pipe", "pipe", "ignore"],
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let sent = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (sent) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split("\r\n")) {
        const i = line.indexOf(":");
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      sent = true;
      res.write(head.subarray(end + 4));
    });
    cgi.on("close", () => res.end());
  });
  const port = await freePort(listen);
  await new Promise<void>((r) => server.listen(port, listen, r));
  const base = `https://${listen}:${port}`;
  return {
    url: base,
    listen,
    reposDir: repos,
    port,
    ca: ca.certificate,
    caFile,
    requests,
    get token() {
      return state.token;
    },
    set token(t: string | null) {
      state.token = t;
    },
    async create(name) {
      await run(GIT, ["init", "-q", "--bare", "--", join(repos, name)], { env: gitEnv });
      return `${base}/${name}`;
    },
    async commit(name, branch, files) {
      const work = mkdtempSync(join(dir, "work-"));
      const git = (args: string[]) => run(GIT, ["-C", work, ...args], { env: gitEnv });
      await git(["init", "-q", "-b", branch]);
      await git(["fetch", "-q", "--", join(repos, name), branch]).then(
        () => git(["reset", "-q", "--hard", "FETCH_HEAD"]),
        () => {}, // a new branch
      );
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), content);
      }
      await git(["add", "-A"]);
      await git(["commit", "-q", "-m", `update ${Object.keys(files).join(", ")}`]);
      await git(["push", "-q", "--", join(repos, name), `HEAD:refs/heads/${branch}`]);
      const { stdout } = await git(["rev-parse", "HEAD"]);
      rmSync(work, { recursive: true, force: true });
      return stdout.trim();
    },
    async stop() {
      await new Promise((r) => server.close(r));
      server.closeAllConnections();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
