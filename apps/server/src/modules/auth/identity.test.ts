// Password sign-in, session cookies, sign-out, per-email throttling and passkey options,
// all through better-auth's endpoints on a real socket.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { auditRows, authPost, cookiesFrom, ORIGIN } from "../../testing/auth.ts";
import { PASSWORD } from "../../testing/harness.ts";
import { useServer } from "../../testing/use-server.ts";
import { THROTTLE } from "./throttle.ts";

describe.each(dialects())("password sign-in on %s", (dialect) => {
  const s = useServer(dialect, { perTest: true });
  // a server per test: /api/auth/* allows 20 requests a minute per IP

  it("sets an httpOnly SameSite=Lax cookie (not Secure over http) that sign-out ends", async () => {
    const user = await s.createUser("carol@example.com");
    const res = await authPost(s, "/sign-in/email", { email: user.email, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, email: user.email });
    const lines = res.headers.getSetCookie();
    const session = lines.find((l) => l.startsWith("steward.session_token="));
    expect(session, lines.join("\n")).toBeDefined();
    for (const line of lines) {
      expect(line).toMatch(/;\s*HttpOnly/i);
      expect(line).toMatch(/;\s*SameSite=Lax/i);
      expect(line).not.toMatch(/;\s*Secure/i);
    }
    const cookie = cookiesFrom(res.headers);
    const me = await s.request("GET", "/api/v1/me", { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, email: user.email, twoFactorEnabled: false });
    const event = (await auditRows(s, "auth.sign-in.email")).at(-1);
    expect(event).toMatchObject({
      outcome: "success",
      actor_type: "user",
      actor_id: user.id,
      target_id: user.email,
      ip: "127.0.0.1",
    });

    const out = await authPost(s, "/sign-out", {}, cookie);
    expect(out.status).toBe(200);
    expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(401);
    expect(await auditRows(s, "auth.sign-out")).toMatchObject([
      { outcome: "success", actor_id: user.id },
    ]);
  });

  it("refuses a sign-in from a foreign origin", async () => {
    await s.createUser("origin@example.com");
    const res = await s.request("POST", "/api/auth/sign-in/email", {
      body: { email: "origin@example.com", password: PASSWORD },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
    // a cross-site request carrying the session cookie cannot sign the user out (CSRF)
    const cookie = await s.signIn("origin@example.com");
    const csrf = await s.request("POST", "/api/auth/sign-out", {
      body: {},
      cookie,
      headers: { origin: "https://evil.example" },
    });
    expect(csrf.status).toBe(403);
    expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(200);
  });

  it("accepts sign-in from the loopback address when no public URL is set", async () => {
    await s.createUser("loopback@example.com");
    for (const origin of ["http://127.0.0.1:8080", "http://[::1]:8080"]) {
      const res = await s.request("POST", "/api/auth/sign-in/email", {
        body: { email: "loopback@example.com", password: PASSWORD },
        headers: { origin },
      });
      expect(res.status, origin).toBe(200);
    }
    const otherPort = await s.request("POST", "/api/auth/sign-in/email", {
      body: { email: "loopback@example.com", password: PASSWORD },
      headers: { origin: "http://127.0.0.1:9999" },
    });
    expect(otherPort.status).toBe(403);
  });

  it("answers 401 to a wrong password and audits the failure", async () => {
    const user = await s.createUser("dave@example.com");
    const res = await authPost(s, "/sign-in/email", {
      email: user.email,
      password: "wrong-password",
    });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie().some((l) => l.startsWith("steward.session_token="))).toBe(
      false,
    );
    const failures = (await auditRows(s, "auth.sign-in.email")).filter(
      (e) => e.target_id === user.email,
    );
    expect(failures).toMatchObject([{ outcome: "failure", actor_type: "anonymous" }]);
    // an unknown email is refused the same way
    const unknown = await authPost(s, "/sign-in/email", {
      email: "nobody@example.com",
      password: PASSWORD,
    });
    expect(unknown.status).toBe(401);
  });

  it("throttles an email after 5 failures in 15 minutes, even with the right password", async () => {
    const user = await s.createUser("erin@example.com");
    const other = await s.createUser("frank@example.com");
    for (let i = 0; i < THROTTLE.perIp; i++) {
      const res = await authPost(s, "/sign-in/email", { email: user.email, password: `bad-${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await authPost(s, "/sign-in/email", {
      email: "Erin@Example.com",
      password: PASSWORD,
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("RATE_LIMITED");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(locked.headers.getSetCookie()).toEqual([]);
    const events = (await auditRows(s, "auth.sign-in.email")).filter(
      (e) => e.target_id === user.email,
    );
    expect(events.map((e) => e.outcome)).toEqual([...Array(5).fill("failure"), "denied"]);
    expect(events.at(-1)?.request_id).toBe(locked.headers.get("x-request-id"));

    // other users are not affected
    expect((await s.signIn(other.email)).length).toBeGreaterThan(0);

    // failures older than the window no longer count
    await s.svc.db.db
      .updateTable("audit_events")
      .set({ at: Date.now() - THROTTLE.windowMs - 1000 })
      .where("target_id", "=", user.email)
      .execute();
    expect((await s.signIn(user.email)).length).toBeGreaterThan(0);
  });

  it("throttles an email from every IP after many failures spread over several IPs", async () => {
    const user = await s.createUser("ivan@example.com");
    const now = Date.now();
    await s.svc.db.db
      .insertInto("audit_events")
      .values(
        Array.from({ length: THROTTLE.perEmail }, (_, i) => ({
          id: `ev_spread${String(i).padStart(4, "0")}`,
          at: now - 60_000 + i,
          actor_type: "anonymous" as const,
          actor_id: null,
          actor_name: null,
          ip: `192.0.2.${i}`,
          request_id: null,
          action: "auth.sign-in.email",
          target_type: "email",
          target_id: user.email,
          account_id: null,
          outcome: "failure" as const,
          diff: null,
        })),
      )
      .execute();
    const locked = await authPost(s, "/sign-in/email", { email: user.email, password: PASSWORD });
    expect(locked.status).toBe(429);
    const retry = Number(locked.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(THROTTLE.windowMs / 1000 - 120);
    expect(retry).toBeLessThanOrEqual(THROTTLE.windowMs / 1000);
  });

  it("offers WebAuthn registration options for the public host to a signed-in user", async () => {
    // A full registration needs a browser authenticator; the console's Chromium tests cover it.
    const user = await s.createUser("grace@example.com");
    const anonymous = await s.request("GET", "/api/auth/passkey/generate-register-options");
    expect(anonymous.status).toBe(401);
    const cookie = await s.signIn(user.email);
    const res = await s.request("GET", "/api/auth/passkey/generate-register-options", {
      cookie,
      headers: { origin: ORIGIN },
    });
    expect(res.status).toBe(200);
    expect(res.body.rp).toMatchObject({ id: "localhost", name: "Steward" });
    expect(res.body.user).toMatchObject({ name: user.email });
    expect(res.body.challenge).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(res.body.pubKeyCredParams.length).toBeGreaterThan(0);
  });
});

describe.each(dialects())("sign-in behind https on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_PUBLIC_URL: "https://panel.example.com" } });

  it("marks the session cookie Secure when the public URL is https", async () => {
    const user = await s.createUser("https@example.com");
    const res = await s.request("POST", "/api/auth/sign-in/email", {
      body: { email: user.email, password: PASSWORD },
      headers: { origin: "https://panel.example.com" },
    });
    expect(res.status).toBe(200);
    const session = res.headers.getSetCookie().find((l) => /session_token=/.test(l)) ?? "";
    expect(session).toMatch(/^__Secure-steward\.session_token=/);
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    const me = await s.request("GET", "/api/v1/me", { cookie: cookiesFrom(res.headers) });
    expect(me.status).toBe(200);
    // the http origin the other tests use is not trusted here, nor loopback addresses
    const foreign = await authPost(s, "/sign-in/email", { email: user.email, password: PASSWORD });
    expect(foreign.status).toBe(403);
    const loopback = await s.request("POST", "/api/auth/sign-in/email", {
      body: { email: user.email, password: PASSWORD },
      headers: { origin: "http://127.0.0.1:8080" },
    });
    expect(loopback.status).toBe(403);
  });
});
