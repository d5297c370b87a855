// API keys through HTTP: shown once, scoped (never wider than their user), revoked and
// expired keys refused at once.
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { actorsChanged } from "../../access/actor-changes.ts";
import { auditRows } from "../../testing/auth.ts";
import { useServer } from "../../testing/use-server.ts";

describe.each(dialects())("API keys on %s", (dialect) => {
  const s = useServer(dialect);
  let admin: { id: string; email: string };
  let adminKey: string;
  beforeAll(async () => {
    admin = await s.createUser("admin@example.com", { super: true });
    adminKey = await s.apiKey(admin.id);
  });

  async function createKey(auth: { key?: string; cookie?: string }, body: Record<string, unknown>) {
    const res = await s.request("POST", "/api/v1/api-keys", { ...auth, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; key: string; start: string; expiresAt: string | null };
  }

  async function account(slug: string): Promise<string> {
    const res = await s.request("POST", "/api/v1/accounts", {
      key: adminKey,
      body: { slug, name: slug },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  it("creates a key for oneself, shows it once and lists only its start", async () => {
    const user = await s.createUser("kim@example.com");
    const cookie = await s.signIn(user.email);
    const created = await createKey({ cookie }, { name: "deploy" });
    expect(created.key).toMatch(/^stw_/);
    expect(created).toMatchObject({ userId: user.id, name: "deploy", scopes: ["*"] });
    expect(created.key.startsWith(created.start)).toBe(true);
    expect(created.start.length).toBeLessThan(created.key.length);

    const list = await s.request("GET", "/api/v1/api-keys", { cookie });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: created.id, start: created.start });
    expect(list.body.items[0]).not.toHaveProperty("key");
    expect(JSON.stringify(list.body)).not.toContain(created.key);

    const me = await s.request("GET", "/api/v1/me", { key: created.key });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.id);
    // a key is not listed to other (non-super) users, nor can they revoke it
    const other = await s.createUser("lee@example.com");
    const otherKey = await s.apiKey(other.id);
    const theirs = await s.request("GET", "/api/v1/api-keys", { key: otherKey });
    expect(theirs.body.items.map((k: { id: string }) => k.id)).not.toContain(created.id);
    const steal = await s.request("DELETE", `/api/v1/api-keys/${created.id}`, { key: otherKey });
    expect(steal.status).toBe(404);
    const forOther = await s.request("POST", "/api/v1/api-keys", {
      key: otherKey,
      body: { name: "x", userId: user.id },
    });
    expect(forOther.status).toBe(403);
    expect((await s.request("GET", "/api/v1/me", { key: created.key })).status).toBe(200);
  });

  it("a read-scoped key reads but cannot change what its user could", async () => {
    const read = await createKey({ key: adminKey }, { name: "read", scopes: ["read"] });
    expect((await s.request("GET", "/api/v1/accounts", { key: read.key })).status).toBe(200);
    const denied = await s.request("POST", "/api/v1/accounts", {
      key: read.key,
      body: { slug: "by-read-key", name: "x" },
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("FORBIDDEN");
    // the same user with an unnarrowed key may
    await account("by-full-key");
    // system privileges need an unnarrowed key too
    expect((await s.request("GET", "/api/v1/users", { key: read.key })).status).toBe(403);
    const slugs = (await s.request("GET", "/api/v1/accounts", { key: adminKey })).body.items.map(
      (a: { slug: string }) => a.slug,
    );
    expect(slugs).not.toContain("by-read-key");
    const refusals = (await auditRows(s, "account.create")).filter((e) => e.outcome === "denied");
    expect(refusals).toMatchObject([{ actor_type: "api_key", actor_id: read.id }]);
  });

  it("an account-scoped key sees only that account", async () => {
    const a = await account("scoped-a");
    const b = await account("scoped-b");
    const k = await createKey({ key: adminKey }, { name: "a", scopes: [`account:${a}:read`] });
    const list = await s.request("GET", "/api/v1/accounts", { key: k.key });
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([a]);
    expect((await s.request("GET", `/api/v1/accounts/${a}`, { key: k.key })).status).toBe(200);
    expect([403, 404]).toContain(
      (await s.request("GET", `/api/v1/accounts/${b}`, { key: k.key })).status,
    );
    const rename = await s.request("PATCH", `/api/v1/accounts/${a}`, {
      key: k.key,
      body: { name: "renamed" },
    });
    expect(rename.status).toBe(403);
  });

  it("a narrowed key cannot create keys", async () => {
    const narrow = await createKey({ key: adminKey }, { name: "narrow", scopes: ["admin"] });
    const res = await s.request("POST", "/api/v1/api-keys", {
      key: narrow.key,
      body: { name: "escalate", scopes: ["*"] },
    });
    expect(res.status).toBe(403);
    const owned = await s.request("GET", "/api/v1/api-keys", { key: adminKey });
    expect(owned.body.items.map((k: { name: string }) => k.name)).not.toContain("escalate");
    // nor revoke them
    const victim = await createKey({ key: adminKey }, { name: "victim" });
    const del = await s.request("DELETE", `/api/v1/api-keys/${victim.id}`, { key: narrow.key });
    expect(del.status).toBe(403);
    expect((await s.request("GET", "/api/v1/me", { key: victim.key })).status).toBe(200);
  });

  it("a revoked key is refused at once", async () => {
    const k = await createKey({ key: adminKey }, { name: "short-lived" });
    expect((await s.request("GET", "/api/v1/me", { key: k.key })).status).toBe(200);
    const del = await s.request("DELETE", `/api/v1/api-keys/${k.id}`, { key: adminKey });
    expect(del.status).toBe(204);
    const after = await s.request("GET", "/api/v1/me", { key: k.key });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("UNAUTHENTICATED");
    expect((await s.request("DELETE", `/api/v1/api-keys/${k.id}`, { key: adminKey })).status).toBe(
      404,
    );
  });

  it("an expired key is refused", async () => {
    const k = await createKey({ key: adminKey }, { name: "expiring", expiresInDays: 1 });
    const expiresAt = Date.parse(k.expiresAt ?? "");
    expect(expiresAt).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect((await s.request("GET", "/api/v1/me", { key: k.key })).status).toBe(200);
    await s.svc.db.db
      .updateTable("auth_apikey")
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where("id", "=", k.id)
      .execute();
    // a write by hand, not through the repo: announced as the repo's writes are
    await actorsChanged(s.svc.db.db);
    const res = await s.request("GET", "/api/v1/me", { key: k.key });
    expect(res.status).toBe(401);
  });

  it("refuses malformed and unknown keys with 401", async () => {
    for (const authorization of ["Bearer", "Bearer a b", "Basic abc", "Bearer stw_nope"]) {
      const res = await s.request("GET", "/api/v1/me", { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
    }
    const bad = await s.request("POST", "/api/v1/api-keys", {
      key: adminKey,
      body: { name: "x", scopes: ["account:../x:admin"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toMatch(/^body\.scopes/);
  });
});
