// Starts a real Steward API on a random port against SQLite or a fresh PostgreSQL database,
// for integration tests through a real socket.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DialectName } from "@steward/testkit";
import type { KyselyPlugin } from "kysely";
import pino from "pino";
import { systemActor } from "../access/types.ts";
import { loadSettings } from "../config/load.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { openDatabase } from "../db/open.ts";
import { buildApp } from "../http/app.ts";
import { createServices, type Services } from "../services.ts";
import { migratedPostgresDatabase } from "./test-db.ts";

export const PASSWORD = "correct horse battery staple";

export interface TestServer {
  url: string;
  svc: Services;
  dialect: DialectName;
  routes: { method: string; url: string; public: boolean }[];
  /** the CLI's context: a super actor */
  cli: Parameters<Services["users"]["create"]>[0];
  createUser(email: string, opts?: { super?: boolean }): Promise<{ id: string; email: string }>;
  apiKey(userId: string, scopes?: string[]): Promise<string>;
  /** signs in with email and password; returns the Cookie header value */
  signIn(email: string, password?: string): Promise<string>;
  request(
    method: string,
    path: string,
    opts?: { key?: string; cookie?: string; body?: unknown; headers?: Record<string, string> },
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies by shape and assert on them
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** The master key of a test server's data dir: another process on its database needs it. */
export function masterKeyOf(s: TestServer): string {
  return readFileSync(join(s.svc.settings.dataDir, "master.key"), "utf8").trim();
}

export async function startTestServer(
  dialect: DialectName,
  env: Record<string, string> = {},
  /** Kysely plugins on the services' database (to watch the SQL requests run) */
  plugins: KyselyPlugin[] = [],
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "steward-test-"));
  // a database of the run's PostgreSQL, unless the caller names one (a bench outside vitest)
  const databaseUrl =
    dialect === "postgres"
      ? (env.STEWARD_DATABASE_URL ?? (await migratedPostgresDatabase()))
      : undefined;
  const settings = loadSettings({
    STEWARD_DATA_DIR: dataDir,
    STEWARD_PORT: "8080",
    ...(databaseUrl ? { STEWARD_DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const opened = openDatabase(settings);
  await migrateToLatest(opened);
  const db = { ...opened, db: plugins.reduce((k, plugin) => k.withPlugin(plugin), opened.db) };
  const svc = await createServices(settings, db, pino({ level: "silent" }));
  const { app, routes } = await buildApp(svc);
  // a random port, unless the test names one (the panel's own certificate checks its port)
  await app.listen({ port: env.STEWARD_PORT ? settings.port : 0, host: "127.0.0.1" });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  const cli = { actor: systemActor("test"), grants: [], ip: null, requestId: "test" };

  const request: TestServer["request"] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    if (opts.cookie) {
      headers.cookie = opts.cookie;
      // as a browser does on the console's own pages; `origin: ""` sends none
      headers.origin ??= svc.consoleOrigins[0] ?? "";
    }
    if (headers.origin === "") delete headers.origin;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers["content-type"] ??= "application/json";
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    }
    const res = await fetch(url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  };

  return {
    url,
    svc,
    dialect,
    routes,
    cli,
    request,
    async createUser(email, opts = {}) {
      const u = await svc.users.create(cli, {
        email,
        password: PASSWORD,
        super: opts.super ?? false,
      });
      return { id: u.id, email: u.email };
    },
    async apiKey(userId, scopes = ["*"]) {
      const k = await svc.apiKeys.create(cli, { name: "test", scopes: scopes as ["*"], userId });
      return k.key;
    },
    async signIn(email, password = PASSWORD) {
      const res = await fetch(`${url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:8080" },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
      return res.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
    },
    async close() {
      await app.close();
      await svc.dispatcher.stop();
      await svc.engine.stop();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
