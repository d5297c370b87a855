// Every mutating request leaves an audit event carrying who, from where and which request;
// no secret used along the way (passwords, API keys, TOTP secrets) reaches an audit diff.
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { auditRows, authPost, cookiesFrom, totpOf } from "../../testing/auth.ts";
import { PASSWORD } from "../../testing/harness.ts";
import { useServer } from "../../testing/use-server.ts";

const USER_PASSWORD = "the new user's secret pass 7";
const RESET_PASSWORD = "an admin-chosen secret pass 9";

describe.each(dialects())("audit trail on %s", (dialect) => {
  const s = useServer(dialect);
  let admin: { id: string; email: string };
  let adminKey: string;
  /** every secret that went over the wire in this file */
  const secrets = new Set<string>([PASSWORD, USER_PASSWORD, RESET_PASSWORD]);
  beforeAll(async () => {
    admin = await s.createUser("admin@example.com", { super: true });
    adminKey = await s.apiKey(admin.id);
    secrets.add(adminKey);
  });

  let n = 0;
  /** A request with a fresh X-Request-Id; returns the response and that id. */
  async function call(method: string, path: string, opts: { key?: string; body?: unknown } = {}) {
    const requestId = `audit-${dialect}-${++n}`;
    const res = await s.request(method, path, { ...opts, headers: { "x-request-id": requestId } });
    expect(res.headers.get("x-request-id")).toBe(requestId);
    return { ...res, requestId };
  }
  async function eventOf(requestId: string) {
    const rows = (await auditRows(s)).filter((e) => e.request_id === requestId);
    expect(rows, `audit events of ${requestId}`).toHaveLength(1);
    return rows[0];
  }

  it("records actor, ip and request id of user, key and grant changes", async () => {
    const created = await call("POST", "/api/v1/users", {
      key: adminKey,
      body: { email: "nina@example.com", password: USER_PASSWORD, name: "Nina" },
    });
    expect(created.status).toBe(201);
    const nina = created.body.id as string;
    const keyCreated = await call("POST", "/api/v1/api-keys", {
      key: adminKey,
      body: { name: "nina-ci", userId: nina, scopes: ["read"] },
    });
    expect(keyCreated.status).toBe(201);
    secrets.add(keyCreated.body.key);
    const account = await call("POST", "/api/v1/accounts", {
      key: adminKey,
      body: { slug: "acme", name: "Acme" },
    });
    const grant = await call("POST", "/api/v1/grants", {
      key: adminKey,
      body: {
        principalType: "user",
        principalId: nina,
        scopeType: "account",
        scopeId: account.body.id,
        role: "operate",
      },
    });
    expect(grant.status).toBe(200);
    const revoked = await call("DELETE", `/api/v1/api-keys/${keyCreated.body.id}`, {
      key: adminKey,
    });
    expect(revoked.status).toBe(204);

    const keyId = (await s.request("GET", "/api/v1/api-keys", { key: adminKey })).body.items[0].id;
    const expected: [typeof created, string, string | null][] = [
      [created, "user.create", nina],
      [keyCreated, "apikey.create", keyCreated.body.id],
      [account, "account.create", account.body.id],
      [grant, "grant.set", grant.body.id],
      [revoked, "apikey.revoke", keyCreated.body.id],
    ];
    for (const [res, action, target] of expected) {
      expect(await eventOf(res.requestId)).toMatchObject({
        action,
        outcome: "success",
        actor_type: "api_key",
        actor_id: keyId,
        actor_name: `${admin.email} (API key)`,
        ip: "127.0.0.1",
        target_id: target,
      });
    }
    expect((await eventOf(grant.requestId))?.account_id).toBe(account.body.id);

    // the same trail through the API, filtered
    const listed = await s.request("GET", "/api/v1/audit-events?action=apikey.*", {
      key: adminKey,
    });
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((e: { requestId: string }) => e.requestId);
    expect(ids).toEqual(expect.arrayContaining([keyCreated.requestId, revoked.requestId]));
  });

  it("records refusals and session-made changes too", async () => {
    const user = await s.createUser("omar@example.com");
    const key = await s.apiKey(user.id);
    secrets.add(key);
    const denied = await call("POST", "/api/v1/users", {
      key,
      body: { email: "x@example.com", password: USER_PASSWORD },
    });
    expect(denied.status).toBe(403);
    expect(await eventOf(denied.requestId)).toMatchObject({
      action: "user.create",
      outcome: "denied",
      actor_type: "api_key",
      ip: "127.0.0.1",
    });
    const password = await call("POST", `/api/v1/users/${user.id}/password`, {
      key: adminKey,
      body: { password: RESET_PASSWORD },
    });
    expect(password.status).toBe(204);
    expect(await eventOf(password.requestId)).toMatchObject({ action: "user.password_set" });

    // better-auth's endpoints: a session that enables TOTP and changes its password
    const signIn = await authPost(s, "/sign-in/email", {
      email: user.email,
      password: RESET_PASSWORD,
    });
    let cookie = cookiesFrom(signIn.headers);
    const enable = await authPost(s, "/two-factor/enable", { password: RESET_PASSWORD }, cookie);
    const uri: string = enable.body.totpURI;
    secrets.add(new URL(uri).searchParams.get("secret") ?? uri);
    for (const code of enable.body.backupCodes as string[]) secrets.add(code);
    const verify = await authPost(s, "/two-factor/verify-totp", { code: totpOf(uri) }, cookie);
    cookie = cookiesFrom(verify.headers, cookie);
    const change = await authPost(
      s,
      "/change-password",
      { currentPassword: RESET_PASSWORD, newPassword: USER_PASSWORD },
      cookie,
    );
    expect(change.status).toBe(200);
    const actions = (await auditRows(s))
      .filter((e) => e.actor_id === user.id && e.actor_type === "user")
      .map((e) => `${e.action} ${e.outcome}`);
    expect(actions).toEqual([
      "auth.sign-in.email success",
      "auth.two-factor.enable success",
      "auth.two-factor.verify-totp success",
      "auth.change-password success",
    ]);
  });

  it("names targets, and takes an actor's email as the actor filter", async () => {
    const nina = (await s.request("GET", "/api/v1/users?q=nina", { key: adminKey })).body.items[0];
    const renamed = await s.request("PATCH", `/api/v1/users/${nina.id}`, {
      key: adminKey,
      body: { name: "N." },
    });
    expect(renamed.status).toBe(200);
    const updates = await s.request("GET", "/api/v1/audit-events?action=user.update", {
      key: adminKey,
    });
    expect(updates.body.items[0]).toMatchObject({
      targetType: "user",
      targetId: nina.id,
      targetName: "nina@example.com",
      actorName: `${admin.email} (API key)`,
    });
    const accounts = await s.request("GET", "/api/v1/audit-events?action=account.create", {
      key: adminKey,
    });
    expect(accounts.body.items[0]).toMatchObject({ targetType: "account", targetName: "Acme" });
    // omar signed in and changed his password in the previous test; the email finds it
    const byEmail = await s.request("GET", "/api/v1/audit-events?actor=OMAR%40example.com", {
      key: adminKey,
    });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.items.map((e: { action: string }) => e.action)).toContain(
      "auth.change-password",
    );
    const nobody = await s.request("GET", "/api/v1/audit-events?actor=nobody%40example.com", {
      key: adminKey,
    });
    expect(nobody.body.items).toEqual([]);
    const bad = await s.request("GET", "/api/v1/audit-events?actor=not%20an%20email", {
      key: adminKey,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("actor");
  });

  it("never writes a secret into an audit diff", async () => {
    const rows = await auditRows(s);
    expect(rows.length).toBeGreaterThan(10);
    expect(secrets.size).toBeGreaterThan(10);
    for (const row of rows) {
      const text = JSON.stringify(row);
      for (const secret of secrets) {
        expect(text.includes(secret), `${row.action} contains a secret`).toBe(false);
      }
    }
  });
});
