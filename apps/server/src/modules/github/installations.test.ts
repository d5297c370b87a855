// The App's installations (GET /api/v1/github/app/installations) against the strict GitHub
// fake: each owner with the installation id Steward resolves for it, the default owner's
// marked; GitHub's refusal said in its words (status, message, docs link); super users only.
import { generateKeyPairSync } from "node:crypto";
import { startGithubFake } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../testing/use-server.ts";

const APP_ID = 31337;
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE = pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString();
const github = await startGithubFake({
  appId: APP_ID,
  publicKey: pair.publicKey.export({ format: "pem", type: "spki" }).toString(),
  installations: [
    { id: 11, account: "acme", type: "Organization", repositories: "all" },
    { id: 22, account: "ada", type: "User", repositories: ["ada/starter"] },
  ],
  repos: [],
});

describe("the GitHub App's installations", () => {
  const s = useServer("sqlite", {
    env: { STEWARD_GITHUB_API: github.base, STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" },
  });
  const w = useWorld(s);
  afterAll(() => github.stop());
  const list = (who: keyof typeof w.keys = "super") =>
    s.request("GET", "/api/v1/github/app/installations", { key: w.keys[who] });

  it("needs an App first, then lists each owner with its installation id", async () => {
    const none = await list();
    expect(none.status).toBe(409);
    expect(none.body.error.message).toMatch(/no GitHub App is configured/);
    const set = await s.request("PUT", "/api/v1/github/app", {
      key: w.keys.super,
      body: { appId: APP_ID, privateKey: PRIVATE, defaultOwner: "Ada" },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const got = await list();
    expect([got.status, got.body]).toEqual([
      200,
      {
        items: [
          {
            id: 11,
            owner: "acme",
            ownerType: "Organization",
            repositorySelection: "all",
            defaultOwner: false,
          },
          {
            id: 22,
            owner: "ada",
            ownerType: "User",
            repositorySelection: "selected",
            defaultOwner: true,
          },
        ],
      },
    ]);
    expect(github.requests.at(-1)).toMatchObject({
      method: "GET",
      path: "/app/installations",
      credential: "jwt",
      status: 200,
    });
    for (const who of ["accountAdmin", "reader", "otherAdmin"] as const)
      expect((await list(who)).status).toBe(403);
  });

  it("says GitHub's refusal in its words, never the key", async () => {
    github.failNext(401, {
      message: "'Expiration time' claim ('exp') is too far in the future",
      documentation_url: "https://docs.github.com/rest",
    });
    const refused = await list();
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      {
        field: "privateKey",
        message:
          "GitHub answered HTTP 401: 'Expiration time' claim ('exp') is too far in the future see https://docs.github.com/rest",
      },
    ]);
    expect(JSON.stringify(refused.body)).not.toMatch(/PRIVATE KEY|eyJ/);
  });
});
