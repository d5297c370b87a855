// Sign in with GitHub refused to whom it must be, against the strict fake of GitHub's OAuth:
// a disabled user, a user with TOTP (who signs in with the password and the code), a provider
// other than GitHub, an ID token instead of the authorize page, and unlinking the password.
import { beforeAll, describe, expect, it } from "vitest";
import { authPost, totpOf } from "../../testing/auth.ts";
import { enable, githubEnv as env, link, signInWithGithub } from "../../testing/github-oauth.ts";
import { PASSWORD } from "../../testing/harness.ts";
import { useServer } from "../../testing/use-server.ts";

describe("sign in with GitHub: who may not", () => {
  const s = useServer("sqlite", { env });
  beforeAll(async () => {
    const root = await s.createUser("root@example.com", { super: true });
    await enable(s, await s.apiKey(root.id));
  });

  it("refuses a disabled user", async () => {
    const dora = await s.createUser("dora@example.com");
    await link(s, dora.email, "dora-gh");
    await s.svc.users.update(s.cli, dora.id, { disabled: true });
    const done = await signInWithGithub(s, "dora-gh");
    expect(done.location.pathname).toBe("/sign-in");
    expect(done.location.searchParams.get("error")).toBe("user_disabled");
    expect(done.cookies).not.toMatch(/steward\.session_token=/);
  });

  it("refuses a user with TOTP: they sign in with the password and the code", async () => {
    const tess = await s.createUser("tess@example.com");
    const cookie = await link(s, tess.email, "tess-gh");
    const enabled = await authPost(s, "/two-factor/enable", { password: PASSWORD }, cookie);
    expect(enabled.status).toBe(200);
    const verify = await authPost(
      s,
      "/two-factor/verify-totp",
      { code: totpOf(enabled.body.totpURI) },
      cookie,
    );
    expect(verify.status).toBe(200);
    const done = await signInWithGithub(s, "tess-gh");
    expect(done.location.searchParams.get("error")).toBe("two_factor_required");
    expect(done.cookies).not.toMatch(/steward\.session_token=/);
  });

  it("takes GitHub as the only provider and unlinks only a GitHub account", async () => {
    const cookie = await s.signIn("dora@example.com").catch(() => "");
    expect(cookie).toBe(""); // disabled: no password sign-in either
    const tina = await s.createUser("tina@example.com");
    const own = await s.signIn(tina.email);
    const other = await authPost(s, "/sign-in/social", { provider: "google", callbackURL: "/" });
    expect(other.status).toBe(400);
    expect(other.body.error.details[0].field).toBe("provider");
    const byToken = await authPost(
      s,
      "/link-social",
      { provider: "github", idToken: { token: "x" } },
      own,
    );
    expect(byToken.status).toBe(400);
    const password = await authPost(s, "/unlink-account", { providerId: "credential" }, own);
    expect(password.status).toBe(400);
    expect(password.body.error.details[0].field).toBe("providerId");
    // the refusals changed nothing: the password session is still Tina's
    const me = await s.request("GET", "/api/v1/me", { cookie: own });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(tina.id);
  });
});
