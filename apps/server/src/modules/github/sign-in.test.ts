// Sign in with GitHub against the strict fake of GitHub's OAuth (GitHub cannot be reached
// from here): the fake checks the client id and secret, the registered redirect URI, the state
// passed through, PKCE, the code used once and the Accept headers. A user links a GitHub
// account while signed in; then that account signs them in, with the same session cookie as a
// password sign-in. An unknown GitHub account (even one whose email is a Steward user's) is
// refused and nothing is created; a forged, stolen or replayed state is refused; while it is
// off every GitHub endpoint is a 404 (sign-in-refusals.test.ts: who may not).
import { beforeAll, describe, expect, it } from "vitest";
import { auditRows, authPost, cookiesFrom, ORIGIN } from "../../testing/auth.ts";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  callback,
  enable,
  githubEnv as env,
  flow,
  github,
  link,
  signInWithGithub,
} from "../../testing/github-oauth.ts";
import type { TestServer } from "../../testing/harness.ts";
import { useServer } from "../../testing/use-server.ts";

/** users and linked accounts: what a refused sign-in must not add */
const counts = async (s: TestServer) => ({
  users: Number(
    (
      await s.svc.db.db
        .selectFrom("auth_user")
        .select((e) => e.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  accounts: Number(
    (
      await s.svc.db.db
        .selectFrom("auth_account")
        .select((e) => e.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  ),
});

describe("sign in with GitHub: settings and a linked user", () => {
  const s = useServer("sqlite", { env });
  let superKey = "";
  beforeAll(async () => {
    const root = await s.createUser("root@example.com", { super: true });
    superKey = await s.apiKey(root.id);
  });

  it("is off by default: no button, every GitHub endpoint a 404", async () => {
    expect((await s.request("GET", "/api/v1/sign-in/methods")).body).toEqual({
      password: true,
      github: false,
    });
    const r = await authPost(s, "/sign-in/social", { provider: "github", callbackURL: "/" });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toBe("sign in with GitHub is not enabled");
    const cb = await fetch(`${s.url}/api/auth/callback/github?code=x&state=y`, {
      redirect: "manual",
    });
    expect(cb.status).toBe(404);
    expect(github.requests).toEqual([]);
  });

  it("refuses hostile settings naming the field, and changes nothing", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ enabled: true, clientId: "Ov23 li", clientSecret: CLIENT_SECRET }, "clientId"],
      [{ enabled: true, clientId: "Ov23\nli", clientSecret: CLIENT_SECRET }, "clientId"],
      [{ enabled: true, clientId: "x".repeat(201), clientSecret: CLIENT_SECRET }, "clientId"],
      [{ enabled: true, clientId: "a';--", clientSecret: CLIENT_SECRET }, "clientId"],
      [{ enabled: true, clientId: CLIENT_ID, clientSecret: "short" }, "clientSecret"],
      [{ enabled: true, clientId: CLIENT_ID, clientSecret: `${"a".repeat(30)}\0` }, "clientSecret"],
      [{ enabled: true, clientId: CLIENT_ID, clientSecret: "s".repeat(201) }, "clientSecret"],
      [{ enabled: true, clientId: CLIENT_ID }, "clientSecret"],
      [{ enabled: "yes", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, "enabled"],
    ];
    for (const [body, field] of cases) {
      const r = await s.request("PUT", "/api/v1/github/sign-in", { key: superKey, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details[0].field).toMatch(new RegExp(`^(body\\.)?${field}$`));
    }
    const now = await s.request("GET", "/api/v1/github/sign-in", { key: superKey });
    expect(now.body).toMatchObject({ enabled: false, clientId: null, secretSet: false });
  });

  it("keeps the secret sealed and never answers it; only super users see or change it", async () => {
    const set = await enable(s, superKey);
    expect(set.body).toEqual({
      enabled: true,
      clientId: CLIENT_ID,
      secretSet: true,
      callbackUrl: `${ORIGIN}/api/auth/callback/github`,
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(set.body)).not.toContain(CLIENT_SECRET);
    const row = await s.svc.db.db
      .selectFrom("settings")
      .select("value")
      .where("key", "=", "github_sign_in")
      .executeTakeFirstOrThrow();
    expect(row.value).not.toContain(CLIENT_SECRET);
    expect(JSON.parse(row.value).secret).toMatch(/^v1:/);
    // the secret left out keeps the stored one
    const kept = await s.request("PUT", "/api/v1/github/sign-in", {
      key: superKey,
      body: { enabled: true, clientId: CLIENT_ID },
    });
    expect(kept.body.secretSet).toBe(true);
    const [event] = (await auditRows(s, "github.sign_in.update")).slice(-1);
    expect(event?.diff).not.toContain(CLIENT_SECRET);
    const user = await s.createUser("plain@example.com");
    const key = await s.apiKey(user.id);
    expect((await s.request("GET", "/api/v1/github/sign-in", { key })).status).toBe(403);
    expect(
      (
        await s.request("PUT", "/api/v1/github/sign-in", {
          key,
          body: { enabled: false, clientId: CLIENT_ID },
        })
      ).status,
    ).toBe(403);
    expect((await s.request("GET", "/api/v1/sign-in/methods")).body.github).toBe(true);
  });

  it("links a GitHub account while signed in, then signs that user in with a session", async () => {
    const alice = await s.createUser("alice@example.com");
    const before = await counts(s);
    await link(s, alice.email, "alice-gh");
    const account = await s.svc.db.db
      .selectFrom("auth_account")
      .selectAll()
      .where("providerId", "=", "github")
      .executeTakeFirstOrThrow();
    // GitHub's token is not kept: Steward never acts on GitHub as the user
    expect(account).toMatchObject({
      userId: alice.id,
      accountId: "101",
      providerId: "github",
      accessToken: null,
      refreshToken: null,
      idToken: null,
    });
    expect(await counts(s)).toEqual({ users: before.users, accounts: before.accounts + 1 });

    const done = await signInWithGithub(s, "alice-gh");
    expect(done.status).toBe(302);
    expect(done.location.pathname).toBe("/profile");
    expect(done.cookies).toMatch(/steward\.session_token=/);
    const me = await s.request("GET", "/api/v1/me", { cookie: done.cookies });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: alice.id, email: alice.email });
    expect((await auditRows(s, "auth.callback.github")).at(-1)).toMatchObject({
      outcome: "success",
      actor_id: alice.id,
      target_id: "github",
    });
    // the session is the password sign-in's kind: its token is stored hashed
    const sessions = await s.svc.db.db
      .selectFrom("auth_session")
      .select("token")
      .where("userId", "=", alice.id)
      .execute();
    const token = decodeURIComponent(
      /steward\.session_token=([^;.]+)/.exec(done.cookies)?.[1] ?? "",
    );
    expect(sessions.map((r) => r.token)).not.toContain(token);

    // what GitHub saw: each request checked and accepted, the state passed through
    const exchanges = github.requests.filter((r) => r.path === "/login/oauth/access_token");
    expect(exchanges.length).toBe(2);
    expect(github.requests.every((r) => r.refused === null)).toBe(true);
    expect(github.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining(["/login/oauth/authorize", "/user", "/user/emails"]),
    );
    const linked = await s.request("GET", "/api/auth/list-accounts", { cookie: done.cookies });
    expect(linked.body.map((a: { providerId: string }) => a.providerId).sort()).toEqual([
      "credential",
      "github",
    ]);
  });

  it("shows a super user who is linked, and unlinks them: GitHub no longer signs them in", async () => {
    const erin = await s.createUser("erin@example.com");
    const asSuper = (method: string, path: string) => s.request(method, path, { key: superKey });
    expect((await asSuper("GET", `/api/v1/users/${erin.id}`)).body.githubLinked).toBe(false);
    await link(s, erin.email, "tess-gh");
    expect((await asSuper("GET", `/api/v1/users/${erin.id}`)).body.githubLinked).toBe(true);
    expect((await signInWithGithub(s, "tess-gh")).location.pathname).toBe("/profile");
    // not theirs to change: another user gets a 403 and the link stays
    const other = await s.createUser("fred@example.com");
    const refused = await s.request("DELETE", `/api/v1/users/${erin.id}/github`, {
      key: await s.apiKey(other.id),
    });
    expect(refused.status).toBe(403);
    expect((await asSuper("GET", `/api/v1/users/${erin.id}`)).body.githubLinked).toBe(true);
    const unlinked = await asSuper("DELETE", `/api/v1/users/${erin.id}/github`);
    expect(unlinked.status, JSON.stringify(unlinked.body)).toBe(200);
    expect(unlinked.body).toMatchObject({ id: erin.id, githubLinked: false });
    expect((await auditRows(s, "user.unlink_github")).at(-1)).toMatchObject({
      outcome: "success",
      target_id: erin.id,
    });
    const done = await signInWithGithub(s, "tess-gh");
    expect(done.location.pathname).toBe("/sign-in");
    expect(done.location.searchParams.get("error")).toBe("signup_disabled");
    expect(done.cookies).not.toMatch(/steward\.session_token=/);
    // the password stays, and unlinking again changes nothing
    const again = await asSuper("DELETE", `/api/v1/users/${erin.id}/github`);
    expect(again.status).toBe(200);
    const changes = (await auditRows(s, "user.unlink_github")).filter((r) =>
      (r.diff ?? "").includes("githubLinked"),
    );
    expect(changes).toHaveLength(1);
  });

  it("refuses an unknown GitHub account, and creates nothing", async () => {
    await s.createUser("bob@example.com");
    const before = await counts(s);
    for (const login of ["stranger", "lookalike"]) {
      const done = await signInWithGithub(s, login);
      expect(done.status).toBe(302);
      expect(done.location.pathname).toBe("/sign-in");
      expect(done.location.searchParams.get("error")).toBe(
        login === "stranger" ? "signup_disabled" : "account_not_linked",
      );
      expect(done.cookies).not.toMatch(/steward\.session_token=/);
    }
    // asking to sign up changes nothing either
    github.as("stranger");
    const start = await authPost(s, "/sign-in/social", {
      provider: "github",
      callbackURL: "/",
      errorCallbackURL: "/sign-in",
      requestSignUp: true,
    });
    const authorized = await fetch(start.body.url, { redirect: "manual" });
    const back = new URL(authorized.headers.get("location") ?? "");
    const done = await callback(s, back, cookiesFrom(start.headers));
    expect(done.location.searchParams.get("error")).toBe("signup_disabled");
    expect(await counts(s)).toEqual(before);
    const refusals = (await auditRows(s, "auth.callback.github")).slice(-3);
    expect(refusals.map((e) => [e.outcome, e.actor_id, JSON.parse(e.diff ?? "{}").error])).toEqual([
      ["denied", null, "signup_disabled"],
      ["denied", null, "account_not_linked"],
      ["denied", null, "signup_disabled"],
    ]);
  });

  it("refuses a forged, a missing and a replayed state", async () => {
    github.as("alice-gh");
    const { back, cookies } = await flow(s, "/sign-in/social");
    const forged = new URL(back);
    forged.searchParams.set("state", "forged-state-value");
    const bad = await callback(s, forged, cookies);
    expect(bad.location.searchParams.get("error")).toMatch(/state/);
    expect(bad.cookies).not.toMatch(/steward\.session_token=/);
    const none = new URL(back);
    none.searchParams.delete("state");
    expect((await callback(s, none, cookies)).location.searchParams.get("error")).toBe(
      "state_not_found",
    );
    // another browser (without the state cookie) with the right state
    const stolen = await callback(s, back, "");
    expect(stolen.location.searchParams.get("error")).toMatch(/state/);
    expect(stolen.cookies).not.toMatch(/steward\.session_token=/);
  });

  it("refuses a state used once already", async () => {
    github.as("alice-gh");
    const { back, cookies } = await flow(s, "/sign-in/social");
    const first = await callback(s, back, cookies);
    expect(first.location.pathname).toBe("/profile");
    const again = await callback(s, back, cookies);
    expect(again.location.pathname).toBe("/sign-in");
    expect(again.location.searchParams.get("error")).toMatch(/state/);
    expect(again.cookies).toBe(cookies);
  });
});
