// The README's "Done when" checklist against a real `steward serve` process, on SQLite and
// on PostgreSQL: first-run setup token, setup, an API key made with the CLI while the server
// runs, the API, audit, metrics, OpenAPI, readiness, request ids in the logs, and SIGTERM.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { dialects, freePort, freshPostgresDatabase } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import {
  type AuditJson,
  captureOutput,
  cliFor,
  PASSWORD,
  type Page,
  removeDataDirs,
  spawnServe,
  tempDataDir,
  type UserJson,
  warmUp,
} from "./testing/cli.ts";

const started: ChildProcessWithoutNullStreams[] = [];

afterAll(async () => {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  removeDataDirs();
});

interface Server {
  url: string;
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** the JSON log lines printed so far */
  logs: () => Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startServe(dataDir: string, env: Record<string, string>): Promise<Server> {
  await warmUp();
  const port = await freePort();
  const child = spawnServe(dataDir, port, env);
  started.push(child);
  const output = captureOutput(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on("exit", (code, signal) => r({ code, signal })),
  );
  const logs = () =>
    output.stdout
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          throw new Error(`stdout line is not JSON: ${l}`);
        }
      });
  const url = `http://127.0.0.1:${port}`;
  const server = {
    url,
    child,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    logs,
    exited,
  };
  await until("GET /healthz answers 200", server, async () => {
    const res = await fetch(`${url}/healthz`).catch(() => null);
    return res?.status === 200;
  });
  return server;
}

/** Polls until check() is true; fails early, with the server's output, if it exits. */
async function until(what: string, s: Server, check: () => Promise<boolean> | boolean) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (s.child.exitCode !== null || s.child.signalCode !== null)
      throw new Error(`steward serve exited before ${what}:\n${s.stdout()}\n${s.stderr()}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}:\n${s.stdout()}\n${s.stderr()}`);
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  body: any;
}

async function call(
  s: Server,
  method: string,
  path: string,
  opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(s.url + path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, text, body };
}

describe("steward serve, end to end", () => {
  it.concurrent.each(dialects())(
    "on %s",
    async (dialect) => {
      const dataDir = tempDataDir("steward-serve-");
      const env: Record<string, string> =
        dialect === "postgres" ? { STEWARD_DATABASE_URL: await freshPostgresDatabase() } : {};
      const s = await startServe(dataDir, env);

      // First run: the setup token is logged as JSON on stdout, with a human hint on stderr.
      let token = "";
      await until("the setup token is logged", s, () => {
        const line = s.logs().find((l) => typeof l.setupToken === "string");
        token = String(line?.setupToken ?? "");
        return token !== "";
      });
      expect(s.stderr()).toContain(`steward: serving ${s.url}`);
      expect(s.stderr()).toMatch(/first run/);
      expect(s.stderr()).toContain(token);
      expect((await call(s, "GET", "/api/v1/setup")).body).toEqual({ required: true });

      const email = "admin@example.com";
      const setup = await call(s, "POST", "/api/v1/setup", {
        body: { token, email, password: PASSWORD },
      });
      expect(setup.status, setup.text).toBe(201);
      expect(setup.body).toMatchObject({ email, super: true, disabled: false });
      const again = await call(s, "POST", "/api/v1/setup", {
        body: { token, email: "second@example.com", password: PASSWORD },
      });
      expect(again.status, again.text).toBe(409);
      expect(again.body.error.code).toBe("ALREADY_SET_UP");

      // An API key from the CLI, on the same data dir and database, while the server runs.
      const cli = cliFor(dataDir, env);
      const created = await cli.json<{ id: string; key: string }>([
        "apikey",
        "create",
        "--user",
        email,
      ]);
      const key = created.key;

      const users = await call(s, "GET", "/api/v1/users", { key });
      expect(users.status, users.text).toBe(200);
      expect((users.body as Page<UserJson>).items.map((u) => u.email)).toEqual([email]);
      const anonymous = await call(s, "GET", "/api/v1/users");
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe("UNAUTHENTICATED");
      const bad = await call(s, "POST", "/api/v1/users", {
        key,
        body: { email: "not an email\nBcc: x@example.com", password: PASSWORD },
      });
      expect(bad.status, bad.text).toBe(400);
      expect(bad.body.error).toMatchObject({
        code: "VALIDATION_FAILED",
        requestId: expect.any(String),
      });
      expect(bad.body.error.message).toMatch(/email/);
      const still = await call(s, "GET", "/api/v1/users", { key });
      expect((still.body as Page<UserJson>).items).toHaveLength(1);

      const audit = await call(s, "GET", "/api/v1/audit-events", { key });
      expect(audit.status, audit.text).toBe(200);
      const events = (audit.body as Page<AuditJson>).items;
      const creation = events.find(
        (e) => e.action === "setup.complete" || e.action === "user.create",
      );
      expect(creation, JSON.stringify(events)).toMatchObject({
        targetType: "user",
        targetId: setup.body.id,
        outcome: "success",
      });
      expect(events.map((e) => e.action)).toContain("apikey.create");

      const metrics = await call(s, "GET", "/metrics");
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(metrics.text).toContain("steward_http_request_duration_seconds");
      expect(metrics.text).toMatch(
        /steward_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/users"/,
      );

      const openapi = await call(s, "GET", "/api/openapi.json");
      expect(openapi.status).toBe(200);
      expect(openapi.body.openapi).toMatch(/^3\./);
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining(["/api/v1/users", "/api/v1/setup", "/api/v1/audit-events"]),
      );

      const ready = await call(s, "GET", "/readyz");
      expect(ready.status, ready.text).toBe(200);
      expect(ready.body).toMatchObject({
        status: "ready",
        checks: { database: { ok: true }, migrations: { ok: true } },
      });

      // X-Request-Id: a sane one is echoed and logged; a hostile one is replaced.
      const requestId = `e2e-${randomUUID()}`;
      const traced = await call(s, "GET", "/api/v1/users", {
        key,
        headers: { "x-request-id": requestId },
      });
      expect(traced.headers.get("x-request-id")).toBe(requestId);
      await until("the request id is logged", s, () =>
        s.logs().some((l) => l.requestId === requestId),
      );
      const hostile = await call(s, "GET", "/healthz", {
        headers: { "x-request-id": "x'; drop table users;--" },
      });
      expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

      // Secrets never reach the logs.
      for (const secret of [PASSWORD, key]) {
        expect(s.stdout()).not.toContain(secret);
        expect(s.stderr()).not.toContain(secret);
      }

      // SIGTERM stops it cleanly, within a few seconds.
      s.child.kill("SIGTERM");
      const result = await Promise.race([
        s.exited,
        new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 5_000)),
      ]);
      expect(result, `${s.stdout()}\n${s.stderr()}`).not.toBe("timeout");
      if (result !== "timeout") expect(result.code === 0 || result.signal === "SIGTERM").toBe(true);
      expect(s.logs().some((l) => l.msg === "shutting down")).toBe(true);
    },
    90_000,
  );
});
