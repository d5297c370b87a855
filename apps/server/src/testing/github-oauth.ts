// Sign in with GitHub's tests (modules/github/sign-in*.test.ts): the strict fake of GitHub's
// OAuth (packages/testkit) with five GitHub users, the panel's settings for it, and a
// browser's round as the tests walk it: the panel's answer to the POST, GitHub's authorize
// page, the callback, where it lands and the cookies it sets.
import { startGithubOAuthFake } from "@steward/testkit";
import { afterAll, expect } from "vitest";
import { authPost, cookiesFrom, ORIGIN } from "./auth.ts";
import type { TestServer } from "./harness.ts";

export const CLIENT_ID = "Ov23liStewardTest01";
export const CLIENT_SECRET = "0123456789abcdef0123456789abcdef01234567";
export const github = await startGithubOAuthFake({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  callbackUrl: `${ORIGIN}/api/auth/callback/github`,
  users: [
    { id: 101, login: "alice-gh", name: "Alice", emails: [gh("alice@users.example")] },
    { id: 102, login: "stranger", emails: [gh("stranger@example.net")] },
    // not linked, but with the email of a Steward user: still refused (no implicit linking)
    { id: 103, login: "lookalike", email: "bob@example.com", emails: [gh("bob@example.com")] },
    { id: 104, login: "dora-gh", emails: [gh("dora@users.example")] },
    { id: 105, login: "tess-gh", emails: [gh("tess@users.example")] },
  ],
});
afterAll(() => github.stop());

function gh(email: string) {
  return { email, primary: true, verified: true };
}

export const githubEnv = {
  STEWARD_GITHUB_WEB: github.base,
  STEWARD_GITHUB_API: github.base,
  STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
};

/** A browser's round up to GitHub's redirect back: the panel's answer to the POST, the authorize page. */
export async function flow(s: TestServer, path: "/sign-in/social" | "/link-social", jar = "") {
  const start = await authPost(
    s,
    path,
    { provider: "github", callbackURL: "/profile", errorCallbackURL: "/sign-in" },
    jar || undefined,
  );
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  const authorizeUrl = new URL(start.body.url);
  expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${github.base}/login/oauth/authorize`);
  const cookies = cookiesFrom(start.headers, jar);
  const authorized = await fetch(authorizeUrl, { redirect: "manual" });
  expect(authorized.status).toBe(302);
  const back = new URL(authorized.headers.get("location") ?? "");
  expect(back.searchParams.get("state")).toBe(authorizeUrl.searchParams.get("state"));
  return { back, cookies, state: authorizeUrl.searchParams.get("state") ?? "" };
}

/** The callback as the browser follows GitHub's redirect: where it lands, and its cookies. */
export async function callback(s: TestServer, back: URL, cookies: string) {
  const res = await fetch(`${s.url}${back.pathname}${back.search}`, {
    redirect: "manual",
    headers: { cookie: cookies },
  });
  const location = new URL(res.headers.get("location") ?? "", ORIGIN);
  return { status: res.status, location, cookies: cookiesFrom(res.headers, cookies) };
}

export async function signInWithGithub(s: TestServer, login: string) {
  github.as(login);
  const { back, cookies } = await flow(s, "/sign-in/social");
  return callback(s, back, cookies);
}

export async function link(s: TestServer, email: string, login: string) {
  const cookie = await s.signIn(email);
  github.as(login);
  const { back, cookies } = await flow(s, "/link-social", cookie);
  const done = await callback(s, back, cookies);
  expect(done.status).toBe(302);
  expect(done.location.pathname + done.location.search).toBe("/profile");
  return cookie;
}

export async function enable(s: TestServer, key: string, on = true) {
  const r = await s.request("PUT", "/api/v1/github/sign-in", {
    key,
    body: { enabled: on, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r;
}
