// Session tokens are stored hashed: what auth_session holds cannot be used as a session, even
// by someone who also has the cookie-signing secret; the token itself (in the cookie) works,
// sign-out and password changes still find their sessions, and the migration hashes the
// tokens of sessions that existed before.
import { createHmac } from "node:crypto";
import { dialects } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { m008_session_token_hashes } from "../db/migrations/008-session-token-hashes.ts";
import { authPost, cookiesFrom } from "../testing/auth.ts";
import { PASSWORD, startTestServer, type TestServer } from "../testing/harness.ts";
import { hashSessionToken } from "./session-tokens.ts";

const NAME = "steward.session_token";

describe.each(dialects())("hashed session tokens on %s", (dialect) => {
  let s: TestServer;
  let secret: string;
  beforeAll(async () => {
    s = await startTestServer(dialect);
    secret = (await s.svc.auth.$context).secret;
  });
  afterAll(() => s?.close());

  /** the Cookie header better-auth would accept for this token (signed like better-call does) */
  const cookieFor = (token: string) =>
    `${NAME}=${encodeURIComponent(`${token}.${createHmac("sha256", secret).update(token).digest("base64")}`)}`;
  const tokenOf = (cookie: string) =>
    decodeURIComponent(/steward\.session_token=([^;]+)/.exec(cookie)?.[1] ?? "").split(".")[0] ??
    "";
  const storedTokens = async (userId: string) =>
    (
      await s.svc.db.db
        .selectFrom("auth_session")
        .select("token")
        .where("userId", "=", userId)
        .execute()
    ).map((r) => r.token);
  const me = (cookie: string) => s.request("GET", "/api/v1/me", { cookie });

  it("stores only the hash; a stolen row is no session, even signed with the secret", async () => {
    const u = await s.createUser("hash@example.com");
    const cookie = await s.signIn(u.email);
    const token = tokenOf(cookie);
    expect(token.length).toBeGreaterThan(20);
    expect((await me(cookieFor(token))).status).toBe(200);
    const stored = await storedTokens(u.id);
    expect(stored).toEqual([hashSessionToken(token)]);
    expect(stored).not.toContain(token);
    // the attack: a copy of the database (and even the secret) gives a cookie for the row
    const forged = await me(cookieFor(stored[0] ?? ""));
    expect(forged.status).toBe(401);
  });

  it("sign-out and a password change with revokeOtherSessions find the hashed rows", async () => {
    const u = await s.createUser("rotate@example.com");
    const first = await s.signIn(u.email);
    const second = await s.signIn(u.email);
    expect(await storedTokens(u.id)).toHaveLength(2);
    const out = await authPost(s, "/sign-out", {}, first);
    expect(out.status).toBe(200);
    expect((await me(first)).status).toBe(401);
    expect(await storedTokens(u.id)).toEqual([hashSessionToken(tokenOf(second))]);

    const changed = await authPost(
      s,
      "/change-password",
      {
        currentPassword: PASSWORD,
        newPassword: "another long passphrase",
        revokeOtherSessions: true,
      },
      second,
    );
    expect(changed.status).toBe(200);
    const fresh = cookiesFrom(changed.headers, second);
    expect((await me(second)).status).toBe(401);
    expect((await me(fresh)).status).toBe(200);
    expect(await storedTokens(u.id)).toEqual([hashSessionToken(tokenOf(fresh))]);
  });

  it("the migration hashes the tokens of existing sessions, which keep working", async () => {
    const u = await s.createUser("before@example.com");
    const raw = "tokenFromBeforeTheMigration0123";
    const now = new Date();
    await s.svc.db.db
      .insertInto("auth_session")
      .values({
        id: "sess_before",
        token: raw,
        userId: u.id,
        expiresAt: new Date(now.getTime() + 3600_000),
        createdAt: now,
        updatedAt: now,
        ipAddress: null,
        userAgent: null,
      })
      .execute();
    // stored in clear, as before: not accepted any more
    expect((await me(cookieFor(raw))).status).toBe(401);
    const others = await s.svc.db.db.selectFrom("auth_session").select(["id", "token"]).execute();
    await m008_session_token_hashes().up(s.svc.db.db as never);
    expect(await storedTokens(u.id)).toEqual([hashSessionToken(raw)]);
    expect((await me(cookieFor(raw))).status).toBe(200);
    // (every other row was hashed once more by this second run: restore them)
    for (const o of others.filter((r) => r.id !== "sess_before"))
      await s.svc.db.db
        .updateTable("auth_session")
        .set({ token: o.token })
        .where("id", "=", o.id)
        .execute();
  });
});
