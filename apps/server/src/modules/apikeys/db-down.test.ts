// Finding 7: authentication reads, it does not write. With a database that cannot be
// written (SQLite refusing writes) valid keys and sessions still work and only the change
// itself fails, as a 503; with PostgreSQL stopped every credentialed request is a 503,
// never a 401 telling a client its key is "invalid, revoked or expired".
import { type PostgresServer, startPostgres } from "@steward/testkit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../testing/harness.ts";

async function lastUsed(s: TestServer, id: string) {
  const row = await s.svc.db.db
    .selectFrom("auth_apikey")
    .select("lastRequest")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return row.lastRequest === null ? null : new Date(row.lastRequest).getTime();
}

describe("API keys and sessions when SQLite cannot be written", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer("sqlite");
  });
  afterAll(async () => {
    await sql`PRAGMA query_only = OFF`.execute(s.svc.db.db);
    await s?.close();
  });

  it("records a key's last use at most once a minute", async () => {
    const u = await s.createUser("often@example.com");
    const created = await s.svc.apiKeys.create(s.cli, { name: "o", scopes: ["*"], userId: u.id });
    expect(await lastUsed(s, created.id)).toBeNull();
    expect((await s.request("GET", "/api/v1/me", { key: created.key })).status).toBe(200);
    await expect.poll(() => lastUsed(s, created.id)).not.toBeNull();
    const first = await lastUsed(s, created.id);
    for (let i = 0; i < 3; i++)
      expect((await s.request("GET", "/api/v1/me", { key: created.key })).status).toBe(200);
    expect(await lastUsed(s, created.id)).toBe(first);
    const listed = await s.request("GET", "/api/v1/api-keys", { key: created.key });
    expect(Date.parse(listed.body.items[0].lastUsedAt)).toBe(first);
  });

  it("authenticates keys and sessions, and refuses changes with 503", async () => {
    const u = await s.createUser("readonly@example.com", { super: true });
    const created = await s.svc.apiKeys.create(s.cli, { name: "r", scopes: ["*"], userId: u.id });
    const cookie = await s.signIn(u.email);
    await sql`PRAGMA query_only = ON`.execute(s.svc.db.db);
    try {
      const me = await s.request("GET", "/api/v1/me", { key: created.key });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(u.id);
      expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(200);
      const change = await s.request("POST", "/api/v1/accounts", {
        key: created.key,
        body: { slug: "no-disk", name: "x" },
      });
      expect(change.status).toBe(503);
      expect(change.body.error.code).toBe("NOT_READY");
      // the last use could not be recorded: logged, not fatal
      expect(await lastUsed(s, created.id)).toBeNull();
      // a wrong key is still a 401
      const wrong = await s.request("GET", "/api/v1/me", { key: `${created.key.slice(0, -2)}xx` });
      expect(wrong.status).toBe(401);
    } finally {
      await sql`PRAGMA query_only = OFF`.execute(s.svc.db.db);
    }
    const accounts = await s.svc.db.db.selectFrom("accounts").select("slug").execute();
    expect(accounts.map((a) => a.slug)).not.toContain("no-disk");
  });
});

describe("API keys and sessions when PostgreSQL is down", () => {
  let pg: PostgresServer | null;
  let s: TestServer;
  beforeAll(async () => {
    pg = await startPostgres();
    if (!pg) return;
    s = await startTestServer("postgres", {
      STEWARD_DATABASE_URL: await pg.createDatabase(),
    });
  });
  afterAll(async () => {
    await s?.close().catch(() => {});
    await pg?.stop();
  });

  it("answers 503 to every credentialed request, never 401", async ({ skip }) => {
    if (!pg) return skip();
    const u = await s.createUser("pgdown@example.com", { super: true });
    const key = await s.apiKey(u.id);
    const cookie = await s.signIn(u.email);
    expect((await s.request("GET", "/api/v1/me", { key })).status).toBe(200);
    await pg.stop();
    for (const auth of [{ key }, { cookie }]) {
      const me = await s.request("GET", "/api/v1/me", auth);
      expect(me.status, JSON.stringify(auth)).toBe(503);
      expect(me.body.error.code).toBe("NOT_READY");
      const change = await s.request("POST", "/api/v1/accounts", {
        ...auth,
        body: { slug: "pg-down", name: "x" },
        headers: { origin: "http://localhost:8080" },
      });
      expect(change.status, JSON.stringify(auth)).toBe(503);
    }
  });
});
