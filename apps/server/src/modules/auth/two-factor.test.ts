// TOTP second factor through better-auth's endpoints: enabling, signing in with a code or a
// recovery code, and an administrator resetting it. Codes are computed per RFC 6238 here.
import { dialects } from "@steward/testkit";
import { beforeEach, describe, expect, it } from "vitest";
import { auditRows, authPost, cookiesFrom, totpOf } from "../../testing/auth.ts";
import { PASSWORD } from "../../testing/harness.ts";
import { useServer } from "../../testing/use-server.ts";

describe.each(dialects())("two-factor authentication on %s", (dialect) => {
  const s = useServer(dialect, { perTest: true });
  let superKey: string;
  // a server per test: /api/auth/* allows 20 requests a minute per IP
  beforeEach(async () => {
    const admin = await s.createUser("admin@example.com", { super: true });
    superKey = await s.apiKey(admin.id);
  });

  /** Enables TOTP for a new user; returns its id, TOTP URI and recovery codes. */
  async function enrolled(email: string) {
    const user = await s.createUser(email);
    let cookie = await s.signIn(email);
    const enable = await authPost(s, "/two-factor/enable", { password: PASSWORD }, cookie);
    expect(enable.status).toBe(200);
    const uri: string = enable.body.totpURI;
    const backupCodes: string[] = enable.body.backupCodes;
    expect(uri).toMatch(/^otpauth:\/\/totp\/Steward:/);
    expect(backupCodes.length).toBeGreaterThanOrEqual(5);
    // not enabled until a code proves the authenticator has the secret
    expect((await s.request("GET", "/api/v1/me", { cookie })).body.twoFactorEnabled).toBe(false);
    const verify = await authPost(s, "/two-factor/verify-totp", { code: totpOf(uri) }, cookie);
    expect(verify.status).toBe(200);
    cookie = cookiesFrom(verify.headers, cookie);
    const me = await s.request("GET", "/api/v1/me", { cookie });
    expect(me.status).toBe(200);
    expect(me.body.twoFactorEnabled).toBe(true);
    return { ...user, uri, backupCodes };
  }

  /** Signs in with the password; returns the response and the cookies a browser would hold. */
  async function passwordStep(email: string, password = PASSWORD) {
    const res = await authPost(s, "/sign-in/email", { email, password });
    return { res, cookie: cookiesFrom(res.headers) };
  }

  it("enables TOTP, then requires a code after the password", async () => {
    const u = await enrolled("tina@example.com");
    const enabled = await auditRows(s, "auth.two-factor.enable");
    expect(enabled).toMatchObject([{ outcome: "success", actor_type: "user", actor_id: u.id }]);
    const verified = (await auditRows(s, "auth.two-factor.verify-totp")).filter(
      (e) => e.actor_id === u.id,
    );
    expect(verified.map((e) => e.outcome)).toEqual(["success"]);

    const step = await passwordStep(u.email);
    expect(step.res.status).toBe(200);
    expect(step.res.body).toMatchObject({ twoFactorRedirect: true });
    expect(step.cookie).not.toContain("steward.session_token=");
    expect(step.cookie).toContain("steward.two_factor=");
    // the password alone gives no usable session
    expect((await s.request("GET", "/api/v1/me", { cookie: step.cookie })).status).toBe(401);

    const wrong = await authPost(s, "/two-factor/verify-totp", { code: "000000" }, step.cookie);
    expect(wrong.status).toBe(401);
    const ok = await authPost(s, "/two-factor/verify-totp", { code: totpOf(u.uri) }, step.cookie);
    expect(ok.status).toBe(200);
    const cookie = cookiesFrom(ok.headers, step.cookie);
    expect(cookie).toContain("steward.session_token=");
    const me = await s.request("GET", "/api/v1/me", { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: u.id, twoFactorEnabled: true });
    // the challenge cookie is spent
    const replay = await authPost(
      s,
      "/two-factor/verify-totp",
      { code: totpOf(u.uri) },
      step.cookie,
    );
    expect(replay.status).toBe(401);
  });

  it("accepts a recovery code once", async () => {
    const u = await enrolled("ursula@example.com");
    const code = u.backupCodes[0] ?? "";
    const first = await passwordStep(u.email);
    const ok = await authPost(s, "/two-factor/verify-backup-code", { code }, first.cookie);
    expect(ok.status).toBe(200);
    const cookie = cookiesFrom(ok.headers, first.cookie);
    expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(200);

    const second = await passwordStep(u.email);
    const again = await authPost(s, "/two-factor/verify-backup-code", { code }, second.cookie);
    expect(again.status).toBe(401);
    expect(cookiesFrom(again.headers, second.cookie)).not.toContain("steward.session_token=");
    // another recovery code still works
    const other = u.backupCodes[1] ?? "";
    const next = await authPost(
      s,
      "/two-factor/verify-backup-code",
      { code: other },
      second.cookie,
    );
    expect(next.status).toBe(200);
  });

  it("lets a super user reset another user's second factor", async () => {
    const u = await enrolled("victor@example.com");
    const res = await s.request("POST", `/api/v1/users/${u.id}/reset-2fa`, {
      key: superKey,
      body: {},
      headers: { "x-request-id": "reset-2fa-victor" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: u.id, twoFactorEnabled: false });
    const step = await passwordStep(u.email);
    expect(step.res.status).toBe(200);
    expect(step.res.body.twoFactorRedirect).toBeUndefined();
    expect((await s.request("GET", "/api/v1/me", { cookie: step.cookie })).status).toBe(200);
    const events = await auditRows(s, "user.reset_2fa");
    expect(events).toMatchObject([
      {
        outcome: "success",
        actor_type: "api_key",
        target_id: u.id,
        request_id: "reset-2fa-victor",
        ip: "127.0.0.1",
      },
    ]);
    // a user cannot reset its own (or anyone's) second factor through the admin route
    const self = await s.request("POST", `/api/v1/users/${u.id}/reset-2fa`, {
      cookie: step.cookie,
      body: {},
    });
    expect(self.status).toBe(403);
  });
});
