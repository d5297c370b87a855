// What a super user does to other users' identities, through HTTP: disabling and enabling
// (sessions, keys and sign-in follow at once) and setting a password.
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { auditRows, authPost, cookiesFrom, totpOf } from "../../testing/auth.ts";
import { PASSWORD } from "../../testing/harness.ts";
import { useServer } from "../../testing/use-server.ts";

const NEW_PASSWORD = "a brand new passphrase 42";

describe.each(dialects())("user administration on %s", (dialect) => {
  const s = useServer(dialect);
  let admin: { id: string; email: string };
  let adminKey: string;
  let adminKeyId: string;
  beforeAll(async () => {
    admin = await s.createUser("admin@example.com", { super: true });
    adminKey = await s.apiKey(admin.id);
    const keys = await s.request("GET", "/api/v1/api-keys", { key: adminKey });
    adminKeyId = keys.body.items[0].id;
  });

  const patch = (id: string, body: unknown, requestId: string) =>
    s.request("PATCH", `/api/v1/users/${id}`, {
      key: adminKey,
      body,
      headers: { "x-request-id": requestId },
    });
  const signInStatus = async (email: string, password = PASSWORD) =>
    (await authPost(s, "/sign-in/email", { email, password })).status;

  it("disabling ends sessions, API keys and sign-in at once; enabling restores sign-in", async () => {
    const bob = await s.createUser("bob@example.com");
    const cookie = await s.signIn(bob.email);
    const key = await s.apiKey(bob.id);
    expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(200);
    expect((await s.request("GET", "/api/v1/me", { key })).status).toBe(200);

    const off = await patch(bob.id, { disabled: true }, "disable-bob");
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: bob.id, disabled: true });
    expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(401);
    expect((await s.request("GET", "/api/v1/me", { key })).status).toBe(401);
    const status = await signInStatus(bob.email);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);

    const on = await patch(bob.id, { disabled: false }, "enable-bob");
    expect(on.status).toBe(200);
    expect(on.body.disabled).toBe(false);
    expect(await signInStatus(bob.email)).toBe(200);
    expect((await s.request("GET", "/api/v1/me", { key })).status).toBe(200);
    // the session that existed when the user was disabled stays ended
    expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(401);

    for (const [action, requestId] of [
      ["user.disable", "disable-bob"],
      ["user.enable", "enable-bob"],
    ] as const) {
      expect(await auditRows(s, action)).toMatchObject([
        {
          outcome: "success",
          actor_type: "api_key",
          actor_id: adminKeyId,
          actor_name: `${admin.email} (API key)`,
          target_id: bob.id,
          request_id: requestId,
          ip: "127.0.0.1",
        },
      ]);
    }
  });

  it("a disabled user cannot finish a second-factor sign-in", async () => {
    const eve = await s.createUser("eve@example.com");
    let cookie = await s.signIn(eve.email);
    const enable = await authPost(s, "/two-factor/enable", { password: PASSWORD }, cookie);
    const uri: string = enable.body.totpURI;
    const verify = await authPost(s, "/two-factor/verify-totp", { code: totpOf(uri) }, cookie);
    expect(verify.status).toBe(200);
    cookie = cookiesFrom(verify.headers, cookie);
    const step = await authPost(s, "/sign-in/email", { email: eve.email, password: PASSWORD });
    expect(step.body).toMatchObject({ twoFactorRedirect: true });
    expect((await patch(eve.id, { disabled: true }, "disable-eve")).status).toBe(200);
    const challenge = cookiesFrom(step.headers);
    const done = await authPost(s, "/two-factor/verify-totp", { code: totpOf(uri) }, challenge);
    expect(done.status).not.toBe(200);
    expect(cookiesFrom(done.headers, challenge)).not.toContain("steward.session_token=");
    expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(401);
  });

  it("refuses to disable the last enabled super user, and non-super callers", async () => {
    const last = await patch(admin.id, { disabled: true }, "disable-last-super");
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe("CONFLICT");
    expect((await s.request("GET", "/api/v1/me", { key: adminKey })).status).toBe(200);

    const mallory = await s.createUser("mallory@example.com");
    const victim = await s.createUser("victim@example.com");
    const cookie = await s.signIn(mallory.email);
    for (const id of [victim.id, mallory.id, admin.id]) {
      const res = await s.request("PATCH", `/api/v1/users/${id}`, {
        cookie,
        body: { disabled: true },
      });
      expect(res.status).toBe(403);
    }
    const renamed = await s.request("PATCH", `/api/v1/users/${mallory.id}`, {
      cookie,
      body: { name: "Mallory M." },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe("Mallory M.");
    const hostile = await s.request("PATCH", `/api/v1/users/${mallory.id}`, {
      cookie,
      body: { name: "M\r\nX-Admin: yes" },
    });
    expect(hostile.status).toBe(400);
    expect(hostile.body.error.details[0].field).toBe("body.name");

    // with a second super user the first can be disabled
    const second = await s.createUser("second@example.com", { super: true });
    const secondKey = await s.apiKey(second.id);
    const off = await s.request("PATCH", `/api/v1/users/${admin.id}`, {
      key: secondKey,
      body: { disabled: true },
    });
    expect(off.status).toBe(200);
    expect((await s.request("GET", "/api/v1/me", { key: adminKey })).status).toBe(401);
    const back = await s.request("PATCH", `/api/v1/users/${admin.id}`, {
      key: secondKey,
      body: { disabled: false },
    });
    expect(back.status).toBe(200);
    expect((await s.request("GET", "/api/v1/me", { key: adminKey })).status).toBe(200);
  });

  it("a password set by an administrator replaces the old one and ends sessions and keys", async () => {
    const pat = await s.createUser("pat@example.com");
    const cookie = await s.signIn(pat.email);
    const otherCookie = await s.signIn(pat.email);
    // what someone who knew the old password could have left behind
    const patKeys = [await s.apiKey(pat.id), await s.apiKey(pat.id, ["read"])];
    for (const key of patKeys)
      expect((await s.request("GET", "/api/v1/me", { key })).status).toBe(200);
    const bystander = await s.createUser("bystander@example.com");
    const bystanderKey = await s.apiKey(bystander.id);
    const res = await s.request("POST", `/api/v1/users/${pat.id}/password`, {
      key: adminKey,
      body: { password: NEW_PASSWORD },
      headers: { "x-request-id": "password-pat" },
    });
    expect(res.status).toBe(204);
    expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(401);
    expect((await s.request("GET", "/api/v1/me", { cookie: otherCookie })).status).toBe(401);
    for (const key of patKeys)
      expect((await s.request("GET", "/api/v1/me", { key })).status).toBe(401);
    expect((await s.request("GET", "/api/v1/me", { key: bystanderKey })).status).toBe(200);
    expect(await signInStatus(pat.email)).toBe(401);
    expect(await signInStatus(pat.email, NEW_PASSWORD)).toBe(200);
    expect(await auditRows(s, "user.password_set")).toMatchObject([
      {
        outcome: "success",
        target_id: pat.id,
        request_id: "password-pat",
        actor_id: adminKeyId,
        diff: JSON.stringify({ sessionsEnded: 2, revokedKeys: 2 }),
      },
    ]);

    const short = await s.request("POST", `/api/v1/users/${pat.id}/password`, {
      key: adminKey,
      body: { password: "short" },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0].field).toBe("body.password");
    // a user cannot set passwords through the admin route, not even its own
    const own = await s.signIn(pat.email, NEW_PASSWORD);
    const self = await s.request("POST", `/api/v1/users/${pat.id}/password`, {
      cookie: own,
      body: { password: "yet another passphrase" },
    });
    expect(self.status).toBe(403);
    expect(await signInStatus(pat.email, NEW_PASSWORD)).toBe(200);
  });
});
