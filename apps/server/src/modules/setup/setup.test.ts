// First run through HTTP: the one-time setup token creates the first super user, once.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { auditRows } from "../../testing/auth.ts";
import { PASSWORD } from "../../testing/harness.ts";
import { useServer } from "../../testing/use-server.ts";

const EMAIL = "first@example.com";

describe.each(dialects())("first-run setup on %s", (dialect) => {
  const s = useServer(dialect, { perTest: true });

  const complete = (body: unknown) => s.request("POST", "/api/v1/setup", { body });
  const userCount = () => s.svc.users.count();

  it("is required with no users, refuses a wrong token, then creates one super user", async () => {
    expect((await s.request("GET", "/api/v1/setup")).body).toEqual({ required: true });
    const token = await s.svc.setup.issueToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const wrong = await complete({ token: `${token}x`, email: EMAIL, password: PASSWORD });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("FORBIDDEN");
    expect(wrong.body.error.message).toMatch(/^token: /);
    expect(wrong.body.error.details).toEqual([{ field: "token", message: expect.any(String) }]);
    expect(await userCount()).toBe(0);
    expect((await s.request("GET", "/api/v1/setup")).body).toEqual({ required: true });

    const ok = await complete({ token, email: "First@Example.com", password: PASSWORD });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ email: EMAIL, super: true, disabled: false });
    expect(await userCount()).toBe(1);
    const events = await auditRows(s, "setup.complete");
    expect(events.map((e) => e.outcome)).toEqual(["denied", "success"]);
    expect(events[1]).toMatchObject({
      target_id: ok.body.id,
      request_id: ok.headers.get("x-request-id"),
    });

    // the first user signs in with the password it chose
    expect((await s.signIn(EMAIL)).length).toBeGreaterThan(0);

    const again = await complete({ token, email: "second@example.com", password: PASSWORD });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ALREADY_SET_UP");
    expect((await s.request("GET", "/api/v1/setup")).body).toEqual({ required: false });
    expect(await s.svc.setup.issueToken()).toBeNull();
    expect(await userCount()).toBe(1);

    // the setup token never reaches the audit log
    for (const row of await auditRows(s)) {
      expect(row.diff ?? "").not.toContain(token);
      expect(row.diff ?? "").not.toContain(PASSWORD);
    }
  });

  it("refuses hostile bodies with 400 naming the field and creates nothing", async () => {
    const token = await s.svc.setup.issueToken();
    const good = { token, email: EMAIL, password: PASSWORD };
    const cases: [unknown, string][] = [
      [{ ...good, email: "not-an-email" }, "body.email"],
      [{ ...good, email: "a@example.com\r\nBcc: b@example.com" }, "body.email"],
      [{ ...good, email: `${"a".repeat(250)}@example.com` }, "body.email"],
      [{ ...good, password: "short" }, "body.password"],
      [{ ...good, password: "x".repeat(129) }, "body.password"],
      [{ ...good, password: 12345678901 }, "body.password"],
      [{ ...good, name: "Eve\nAdmin" }, "body.name"],
      [{ ...good, name: "" }, "body.name"],
      [{ ...good, super: false }, "body.super"],
      [{ ...good, isAdmin: true }, "body.isAdmin"],
      [{ ...good, token: "../../etc/passwd" }, "body.token"],
      [{ email: EMAIL, password: PASSWORD }, "body.token"],
    ];
    for (const [body, field] of cases) {
      const res = await complete(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(res.body.error.message.startsWith(field)).toBe(true);
    }
    const unknown = await complete({ ...good, isAdmin: true });
    expect(unknown.body.error.message).toContain("isAdmin");
    const notJson = await s.request("POST", "/api/v1/setup", { body: "{not json" });
    expect(notJson.status).toBe(400);
    expect(await userCount()).toBe(0);
    // bad input did not use the token up
    expect((await complete(good)).status).toBe(201);
  });

  it("accepts the token once, even when two requests race", async () => {
    const token = await s.svc.setup.issueToken();
    const [a, b] = await Promise.all([
      complete({ token, email: "a@example.com", password: PASSWORD }),
      complete({ token, email: "b@example.com", password: PASSWORD }),
    ]);
    expect([a.status, b.status].filter((x) => x === 201)).toHaveLength(1);
    expect([403, 409]).toContain(a.status === 201 ? b.status : a.status);
    expect(await userCount()).toBe(1);
    const stored = await s.svc.db.db
      .selectFrom("settings")
      .select("key")
      .where("key", "=", "setup_token_sha256")
      .execute();
    expect(stored).toEqual([]);
  });

  it("does not issue a token once a user exists", async () => {
    await s.createUser("admin@example.com", { super: true });
    expect(await s.svc.setup.issueToken()).toBeNull();
    expect((await s.request("GET", "/api/v1/setup")).body).toEqual({ required: false });
    const res = await complete({ token: "abcdefgh", email: EMAIL, password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("ALREADY_SET_UP");
  });
});
