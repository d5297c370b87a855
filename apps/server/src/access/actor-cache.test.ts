// The cached caller (actor-cache.ts): a known API key or session costs no statement and
// writes nothing, and every kind of change is seen by the very next request, in this panel,
// in a second panel on the same PostgreSQL database, and after a write by another process.
import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dialects } from "@steward/testkit";
import type { KyselyPlugin, RootOperationNode } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { masterKeyOf, startTestServer, type TestServer } from "../testing/harness.ts";

/** The table a query node names first, if any. */
function tableOf(node: unknown): string {
  const n = node as Record<string, unknown> | undefined;
  if (!n || typeof n !== "object") return "";
  if (n.kind === "TableNode")
    return String((n.table as { identifier: { name: string } }).identifier.name);
  if (n.kind === "AliasNode") return tableOf(n.node);
  if (n.kind === "FromNode") return tableOf((n.froms as unknown[])[0]);
  return "";
}

/** "select auth_user", "update auth_apikey"... (raw SQL: its text) */
function statementOf(node: RootOperationNode): string {
  if (node.kind === "RawNode") return node.sqlFragments.join("?").trim().toLowerCase();
  const n = node as unknown as Record<string, unknown>;
  const kind = node.kind.replace(/QueryNode$/, "").toLowerCase();
  return `${kind} ${tableOf(n.from ?? n.into ?? n.table)}`;
}

/** Every statement the panel runs (a Kysely plugin sees each one). */
function statementLog() {
  const statements: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      statements.push(statementOf(node));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { plugin, statements };
}

/** Runs `fn(trx, arg)` of a repo in a process of its own on the panel's database (the CLI's way). */
function inAnotherProcess(s: TestServer, repo: string, fn: string, arg: string) {
  const file = (path: string) =>
    JSON.stringify(pathToFileURL(fileURLToPath(new URL(path, import.meta.url))).href);
  const where =
    s.dialect === "postgres" ? (s.svc.settings.databaseUrl ?? "") : s.svc.db.where.slice(7);
  const open = s.dialect === "postgres" ? "openPostgres" : "openSqlite";
  const script = [
    `import { ${open} } from ${file("../db/open.ts")};`,
    `import { ${fn} } from ${file(repo)};`,
    `const db = ${open}(process.argv[1]);`,
    `await db.db.transaction().execute((trx) => ${fn}(trx, process.argv[2]));`,
    "await db.close();",
  ].join("\n");
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, where, arg], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new Promise((resolve) => child.once("close", resolve));
}

describe.each(dialects())("the cached caller on %s", (dialect) => {
  const log = statementLog();
  let s: TestServer;
  let admin: string;
  beforeAll(async () => {
    s = await startTestServer(dialect, {}, [log.plugin]);
    admin = await s.apiKey((await s.createUser("cache-admin@example.com", { super: true })).id);
  });
  afterAll(() => s?.close());
  afterEach(() => vi.useRealTimers());

  /** a user holding admin on a new account through a group, with a key and a session */
  async function member(name: string) {
    const user = await s.createUser(`${name}@example.com`);
    const account = await s.svc.accounts.create(s.cli, { slug: name, name });
    const group = await s.svc.groups.create(s.cli, { name: `${name}-team`, description: "" });
    await s.svc.groups.addMember(s.cli, group.id, user.id);
    const grant = await s.svc.grants.set(s.cli, {
      principalType: "group",
      principalId: group.id,
      scopeType: "account",
      scopeId: account.id,
      role: "admin",
    });
    const key = await s.apiKey(user.id);
    const cookie = await s.signIn(user.email);
    return { user, account, group, grant, key, cookie };
  }
  const status = async (path: string, auth: { key?: string; cookie?: string }) =>
    (await s.request("GET", path, auth)).status;

  it("authenticates a known key or session without a statement, and writes nothing", async () => {
    const m = await member("quiet");
    await s.svc.actors.ready();
    for (const auth of [{ key: m.key }, { cookie: m.cookie }])
      expect(await status("/api/v1/me", auth)).toBe(200);
    // the key's first use is recorded (once a minute at most): let it land first
    await expect
      .poll(
        async () =>
          (
            await s.svc.db.db
              .selectFrom("auth_apikey")
              .select("lastRequest")
              .where("referenceId", "=", m.user.id)
              .executeTakeFirst()
          )?.lastRequest,
      )
      .not.toBeNull();
    log.statements.length = 0;
    const n = 20;
    for (let i = 0; i < n; i++)
      for (const auth of [{ key: m.key }, { cookie: m.cookie }])
        expect(await status("/api/v1/me", auth)).toBe(200);
    // /me's own record is kept with the caller (access/actor-cache.ts remember): what is left
    // is its reload when an entry outlives its few seconds (the task engine's own work
    // meanwhile is not about callers). On SQLite each request also asks `pragma
    // data_version` (another process's commits; no table, no I/O), a statement prepared once
    // on the connection itself: Kysely's plugins do not see it.
    const engine = /\btasks\b|\btask_/;
    const left = log.statements.filter((st) => !engine.test(st));
    expect(left.filter((st) => st !== "select auth_user")).toEqual([]);
    expect(left.length).toBeLessThan(n);
  });

  it("/me shows a change of the caller's own record at the next request", async () => {
    const m = await member("renamed");
    const me = async () =>
      (await s.request("GET", "/api/v1/me", { key: m.key })).body as { name: string };
    expect((await me()).name).not.toBe("Renamed");
    await s.svc.users.update(s.cli, m.user.id, { name: "Renamed" });
    expect((await me()).name).toBe("Renamed");
  });

  it("sees every change at the very next request", async () => {
    const m = await member("changes");
    const account = `/api/v1/accounts/${m.account.id}`;
    const both = [{ key: m.key }, { cookie: m.cookie }];
    const all = async () => Promise.all(both.map((auth) => status(account, auth)));
    expect(await all()).toEqual([200, 200]);

    await s.svc.groups.removeMember(s.cli, m.group.id, m.user.id);
    expect(await all()).toEqual([404, 404]);
    await s.svc.groups.addMember(s.cli, m.group.id, m.user.id);
    expect(await all()).toEqual([200, 200]);

    await s.svc.grants.remove(s.cli, m.grant.id);
    expect(await all()).toEqual([404, 404]);
    const again = await s.svc.grants.set(s.cli, { ...grantOf(m), role: "read" });
    expect(await all()).toEqual([200, 200]);
    await s.svc.grants.set(s.cli, { ...grantOf(m), role: "none" });
    expect(await all()).toEqual([404, 404]);
    await s.svc.grants.remove(s.cli, again.id);

    // the super flag: a member of super may list users, and not once removed
    await s.svc.groups.addMember(s.cli, "super", m.user.id);
    expect(await status("/api/v1/users", { key: m.key })).toBe(200);
    await s.svc.groups.removeMember(s.cli, "super", m.user.id);
    expect(await status("/api/v1/users", { key: m.key })).toBe(403);

    const res = await s.request("PATCH", `/api/v1/users/${m.user.id}`, {
      key: admin,
      body: { disabled: true },
    });
    expect(res.status).toBe(200);
    expect(await Promise.all(both.map((auth) => status("/api/v1/me", auth)))).toEqual([401, 401]);
  });

  const grantOf = (m: Awaited<ReturnType<typeof member>>) => ({
    principalType: "group" as const,
    principalId: m.group.id,
    scopeType: "account" as const,
    scopeId: m.account.id,
  });

  it("revoked keys, signed-out sessions and a new password end at once", async () => {
    const m = await member("ends");
    const second = await s.signIn(m.user.email);
    expect(await status("/api/v1/me", { key: m.key })).toBe(200);
    expect(await status("/api/v1/me", { cookie: m.cookie })).toBe(200);
    expect(await status("/api/v1/me", { cookie: second })).toBe(200);
    const [id] = (
      await s.request("GET", `/api/v1/api-keys?userId=${m.user.id}`, { key: admin })
    ).body.items.map((k: { id: string }) => k.id);
    expect((await s.request("DELETE", `/api/v1/api-keys/${id}`, { key: admin })).status).toBe(204);
    expect(await status("/api/v1/me", { key: m.key })).toBe(401);

    const out = await s.request("POST", "/api/auth/sign-out", { cookie: m.cookie, body: {} });
    expect(out.status).toBe(200);
    expect(await status("/api/v1/me", { cookie: m.cookie })).toBe(401);
    expect(await status("/api/v1/me", { cookie: second })).toBe(200);
    await s.svc.users.setPassword(s.cli, m.user.id, "a brand new passphrase");
    expect(await status("/api/v1/me", { cookie: second })).toBe(401);
  });

  it("refuses a key or a session the moment it expires, cached or not", async () => {
    const m = await member("expiry");
    const created = await s.request("POST", "/api/v1/api-keys", {
      key: m.key,
      body: { name: "a day", expiresInDays: 1 },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const keyExpires = Date.parse(created.body.expiresAt);
    const [session] = await s.svc.db.db
      .selectFrom("auth_session")
      .select("expiresAt")
      .where("userId", "=", m.user.id)
      .execute();
    const sessionExpires = new Date(session?.expiresAt ?? 0).getTime();
    expect(await status("/api/v1/me", { key })).toBe(200);
    expect(await status("/api/v1/me", { cookie: m.cookie })).toBe(200);
    await s.svc.actors.ready();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(keyExpires - 1);
    expect(await status("/api/v1/me", { key })).toBe(200);
    vi.setSystemTime(keyExpires);
    expect(await status("/api/v1/me", { key })).toBe(401);
    vi.setSystemTime(sessionExpires);
    expect(await status("/api/v1/me", { cookie: m.cookie })).toBe(200);
    vi.setSystemTime(sessionExpires + 1);
    expect(await status("/api/v1/me", { cookie: m.cookie })).toBe(401);
    // and, as better-auth's getSession does, the expired session is deleted
    const left = await s.svc.db.db
      .selectFrom("auth_session")
      .select("id")
      .where("userId", "=", m.user.id)
      .execute();
    expect(left).toEqual([]);
  });

  it("a change written by another process (the CLI) is seen at once", async () => {
    const m = await member(`process-${dialect}`);
    const account = `/api/v1/accounts/${m.account.id}`;
    await s.svc.actors.ready();
    expect(await status(account, { key: m.key })).toBe(200);
    expect(await status(account, { key: m.key })).toBe(200);
    expect(await status("/api/v1/me", { cookie: m.cookie })).toBe(200);
    await inAnotherProcess(s, "../modules/grants/repo.ts", "deleteGrant", m.grant.id);
    expect(await status(account, { key: m.key })).toBe(404);
    await inAnotherProcess(s, "../modules/users/repo.ts", "deleteSessions", m.user.id);
    expect(await status("/api/v1/me", { cookie: m.cookie })).toBe(401);
  });

  it.runIf(dialect === "postgres")(
    "a change through another panel on the same database is seen at once",
    async () => {
      const other = await startTestServer(dialect, {
        STEWARD_DATABASE_URL: s.svc.settings.databaseUrl ?? "",
        STEWARD_MASTER_KEY: masterKeyOf(s),
      });
      try {
        const m = await member("elsewhere");
        const account = `/api/v1/accounts/${m.account.id}`;
        const there = async () => (await other.request("GET", account, { key: m.key })).status;
        await other.svc.actors.ready();
        expect(await there()).toBe(200);
        expect(await there()).toBe(200);
        await s.svc.groups.removeMember(s.cli, m.group.id, m.user.id);
        expect(await there()).toBe(404);
        await s.svc.groups.addMember(s.cli, m.group.id, m.user.id);
        expect(await there()).toBe(200);
        const revoked = await s.request("PATCH", `/api/v1/users/${m.user.id}`, {
          key: admin,
          body: { disabled: true },
        });
        expect(revoked.status).toBe(200);
        expect(await there()).toBe(401);
      } finally {
        await other.close();
      }
    },
  );
});
