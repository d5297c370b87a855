// better-auth's own endpoints under /api/auth/* must not bypass Steward's rules: no sign-up,
// no unvalidated profile values, no second way to make API keys.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { auditRows, authPost } from "../../testing/auth.ts";
import { PASSWORD } from "../../testing/harness.ts";
import { useServer } from "../../testing/use-server.ts";

describe.each(dialects())("better-auth endpoints on %s", (dialect) => {
  const s = useServer(dialect);

  it("does not let anyone sign up", async () => {
    await s.createUser("admin@example.com", { super: true });
    const res = await authPost(s, "/sign-up/email", {
      email: "intruder@example.com",
      password: PASSWORD,
      name: "Intruder",
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await s.svc.users.findByEmail("intruder@example.com")).toBeUndefined();
    expect(await s.svc.users.count()).toBe(1);
  });

  it("validates profile changes like Steward's own routes do", async () => {
    const u = await s.createUser("vic@example.com");
    const cookie = await s.signIn(u.email);
    for (const body of [
      { name: "Vic\nX-Injected: 1" },
      { name: "" },
      { name: "x".repeat(101) },
      { image: "javascript:alert(1)" },
    ]) {
      const res = await authPost(s, "/update-user", body, cookie);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const ok = await authPost(s, "/update-user", { name: "Vic Tor" }, cookie);
    expect(ok.status).toBe(200);
    const me = await s.request("GET", "/api/v1/me", { cookie });
    expect(me.body.name).toBe("Vic Tor");
    // users cannot change what only administrators (or a verified second factor) decide
    for (const body of [
      { email: "x@example.com" },
      { disabled: true },
      { twoFactorEnabled: true },
      { emailVerified: true },
    ]) {
      const res = await authPost(s, "/update-user", body, cookie);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
    }
    const after = await s.request("GET", "/api/v1/me", { cookie });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ email: u.email, disabled: false, twoFactorEnabled: false });
  });

  it("manages API keys only through /api/v1/api-keys", async () => {
    const u = await s.createUser("kay@example.com");
    const cookie = await s.signIn(u.email);
    const created = await authPost(s, "/api-key/create", { name: "side\ndoor" }, cookie);
    expect(created.status).toBe(404);
    expect(JSON.stringify(created.body)).not.toContain("stw_");
    const list = await s.request("GET", "/api/auth/api-key/list", { cookie });
    expect(list.status).toBe(404);
    const keys = await s.request("GET", "/api/v1/api-keys", { cookie });
    expect(keys.body.items).toEqual([]);
    const refused = await auditRows(s, "auth.api-key.create");
    expect(refused).toMatchObject([{ actor_id: u.id, diff: JSON.stringify({ status: 404 }) }]);
  });
});
