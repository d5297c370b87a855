// The App's settings against the strict GitHub fake: its installations (GET
// /api/v1/github/app/installations, each owner with the installation id Steward resolves for
// it, the default owner's marked; GitHub's refusal said in its words), and a catalog entry
// changed (PATCH /api/v1/templates/:id: its description, or another repository only once GitHub
// confirms it, a refusal changing nothing). Super users only.
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
  repos: [
    { owner: "acme", name: "starter", template: true },
    { owner: "acme", name: "blog", template: true, defaultBranch: "trunk" },
    { owner: "acme", name: "plain" },
  ],
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

  it("changes a template's description, or its repository once GitHub confirms it", async () => {
    const as = (who: keyof typeof w.keys, method: string, path: string, body?: unknown) =>
      s.request(method, path, { key: w.keys[who], body });
    const add = async (repo: string) =>
      (await as("super", "POST", "/api/v1/templates", { account: w.a, owner: "acme", repo })).body;
    const starter = await add("starter");
    const blog = await add("blog");
    const path = `/api/v1/templates/${starter.id}`;
    const row = async () => (await as("super", "GET", path)).body;
    const before = await row();
    const refused = [
      [{ repo: "plain" }, 400, "repo", /acme\/plain is not marked as a template/],
      [{ repo: "nothing" }, 400, "repo", /^GitHub answered HTTP 404: Not Found see https:/],
      [{ repo: "blog", description: "x" }, 409, "repo", /already has acme\/blog/],
      [{}, 400, "body", /must change something/],
      [{ repo: "../x" }, 400, "body.repo", /repository name/],
      [{ owner: "ac'me" }, 400, "body.owner", /GitHub login/],
    ] as const;
    for (const [body, status, field, says] of refused) {
      const r = await as("super", "PATCH", path, body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      const detail = r.body.error.details?.[0] ?? { field: r.body.error.field, message: "" };
      expect(detail.field ?? "", JSON.stringify(r.body)).toBe(field);
      expect(detail.message || r.body.error.message).toMatch(says);
    }
    expect(await row()).toEqual(before);
    for (const [who, status] of [
      ["reader", 403],
      ["accountAdmin", 403],
      ["otherAdmin", 404],
    ] as const)
      expect((await as(who, "PATCH", path, { description: "mine" })).status).toBe(status);
    const described = await as("super", "PATCH", path, { description: "A small web app" });
    expect([described.status, described.body.description]).toEqual([200, "A small web app"]);
    await as("super", "DELETE", `/api/v1/templates/${blog.id}`);
    const moved = await as("super", "PATCH", path, { repo: "blog" });
    expect([moved.status, moved.body]).toEqual([
      200,
      expect.objectContaining({
        repo: "blog",
        defaultBranch: "trunk",
        description: "A small web app",
      }),
    ]);
    const audit = await as("super", "GET", "/api/v1/audit-events?action=github.template.update");
    expect(audit.body.items[0]).toMatchObject({ action: "github.template.update" });
  });
});
