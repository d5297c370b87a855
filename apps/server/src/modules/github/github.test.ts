// GitHub templates against the strict GitHub fake (GitHub cannot be reached from here): the
// App's key is checked and sealed, never answered; a template enters the catalog only once
// GitHub confirms the App reaches it and it is a template; a generation resolves the App's
// installation on the owner, takes an installation token (cached: one for two generations),
// sends exactly the documented body, waits until GitHub filled the repository and keeps its
// clone URL. GitHub's refusals are said with its payload (message, errors, docs), never a
// token or the key. The fake checks every request (headers, the JWT's signature and claims).
import { generateKeyPairSync } from "node:crypto";
import { startGithubFake } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const APP_ID = 424242;
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE = pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString();
const PUBLIC = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
const github = await startGithubFake({
  appId: APP_ID,
  publicKey: PUBLIC,
  installations: [
    { id: 11, account: "acme", type: "Organization", repositories: "all" },
    { id: 22, account: "ada", type: "User", repositories: ["ada/starter"] },
  ],
  repos: [
    {
      owner: "acme",
      name: "starter",
      template: true,
      defaultBranch: "trunk",
      branches: ["trunk", "dev"],
    },
    { owner: "acme", name: "plain" },
    { owner: "ada", name: "starter", template: true },
    { owner: "acme", name: "taken" },
  ],
  fillAfter: 2,
});

describe("GitHub templates", () => {
  const s = useServer("sqlite", {
    env: { STEWARD_GITHUB_API: github.base, STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" },
  });
  const w = useWorld(s);
  afterAll(() => github.stop());
  const as = (who: keyof typeof w.keys, method: string, path: string, body?: unknown) =>
    s.request(method, path, { key: w.keys[who], body });
  let template = "";

  it("checks the App's key, seals it, never answers it, and asks GitHub who the App is", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const ecPem = ec.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const refused = [
      [{ appId: APP_ID, privateKey: "not a key" }, "privateKey", /must be the App's private key/],
      [{ appId: APP_ID, privateKey: ecPem }, "privateKey", /must be an RSA key/],
      [{ appId: "12;rm", privateKey: PRIVATE }, "appId", /must be a number/],
      [
        { appId: APP_ID, privateKey: PRIVATE, defaultOwner: "-bad" },
        "defaultOwner",
        /GitHub login/,
      ],
    ] as const;
    for (const [body, field, says] of refused) {
      const r = await as("super", "PUT", "/api/v1/github/app", body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.details[0]).toEqual({
        field: expect.stringMatching(new RegExp(`^(body\\.)?${field}$`)),
        message: expect.stringMatching(says),
      });
    }
    expect((await as("super", "GET", "/api/v1/github/app")).body.configured).toBe(false);
    const set = await as("super", "PUT", "/api/v1/github/app", {
      appId: APP_ID,
      privateKey: PRIVATE,
      defaultOwner: "acme",
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ configured: true, appId: APP_ID, defaultOwner: "acme" });
    expect(set.body.keyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}=$/);
    const row = await s.svc.db.db.selectFrom("github_app").selectAll().executeTakeFirstOrThrow();
    expect(row.private_key_enc).toMatch(/^v1:/);
    expect(row.private_key_enc).not.toContain("PRIVATE KEY");
    const tested = await as("super", "POST", "/api/v1/github/app/test");
    expect([tested.status, tested.body]).toEqual([
      200,
      { slug: "steward-test", name: "Steward Test", owner: "acme" },
    ]);
    expect(github.requests.at(-1)).toMatchObject({ path: "/app", credential: "jwt", status: 200 });
    // only super users see or change it
    for (const who of ["accountAdmin", "reader"] as const)
      expect((await as(who, "GET", "/api/v1/github/app")).status).toBe(403);
    const audit = await as("super", "GET", "/api/v1/audit-events?action=github.*");
    expect(JSON.stringify(audit.body)).not.toContain("PRIVATE KEY");
  });

  it("adds a template only when GitHub confirms it, in GitHub's words otherwise", async () => {
    const add = (repo: string, owner = "acme") =>
      as("super", "POST", "/api/v1/templates", { account: w.a, owner, repo });
    const plain = await add("plain");
    expect([plain.status, plain.body.error.details]).toEqual([
      400,
      [
        {
          field: "repo",
          message: expect.stringMatching(/acme\/plain is not marked as a template/),
        },
      ],
    ]);
    const missing = await add("nothing-here");
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].message).toMatch(
      /^GitHub answered HTTP 404: Not Found see https:\/\/docs\.github\.com\/rest\/apps\/apps#get-a-repository-installation/,
    );
    const made = await add("starter");
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ owner: "acme", repo: "starter", defaultBranch: "trunk" });
    template = made.body.id;
    expect((await add("starter")).status).toBe(409);
    expect(
      (
        await as("accountAdmin", "POST", "/api/v1/templates", {
          account: w.a,
          owner: "acme",
          repo: "x",
        })
      ).status,
    ).toBe(403);
    const list = await as("reader", "GET", `/api/v1/templates?account=${w.a}`);
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([template]);
    // another account's admin does not see it, not even that it exists
    expect((await as("otherAdmin", "GET", `/api/v1/templates/${template}`)).status).toBe(404);
    expect((await as("otherAdmin", "GET", `/api/v1/templates?account=${w.a}`)).status).toBe(404);
  });

  it("generates a repository: installation, token (cached), the documented body, then waits until filled", async () => {
    const before = github.requests.length;
    const gen = await as("accountAdmin", "POST", `/api/v1/templates/${template}/generate`, {
      name: "shop",
      description: "our shop",
      includeAllBranches: true,
    });
    expect(gen.status, JSON.stringify(gen.body)).toBe(202);
    expect(gen.body).toMatchObject({
      owner: "acme",
      name: "shop",
      status: "generating",
      private: true,
    });
    s.svc.engine.startWorker();
    const task = await settleTask(s, gen.body.taskId);
    expect(task.state, await taskLogText(s, gen.body.taskId)).toBe("succeeded");
    expect(task.progress).toBe(1);
    const got = await as("reader", "GET", `/api/v1/github/repositories/${gen.body.id}`);
    expect(got.body).toMatchObject({
      status: "ready",
      cloneUrl: "https://github.com/acme/shop.git",
      htmlUrl: "https://github.com/acme/shop",
      error: null,
    });
    expect(github.repo("acme/shop")).toMatchObject({ private: true, branches: ["trunk", "dev"] });
    const sent = github.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.path} ${r.credential} ${r.status}`)).toEqual([
      "GET /orgs/acme/installation jwt 200",
      "POST /app/installations/11/access_tokens jwt 201",
      "POST /repos/acme/starter/generate token 201",
      "GET /repos/acme/shop/branches/trunk token 404",
      "GET /repos/acme/shop/branches/trunk token 404",
      "GET /repos/acme/shop/branches/trunk token 200",
    ]);
    expect(sent[2]?.body).toEqual({
      owner: "acme",
      name: "shop",
      description: "our shop",
      include_all_branches: true,
      private: true,
    });
    // a second generation reuses the installation and its token
    const again = await as("accountAdmin", "POST", `/api/v1/templates/${template}/generate`, {
      name: "blog",
      private: false,
    });
    expect((await settleTask(s, again.body.taskId)).state).toBe("succeeded");
    expect(
      github.requests.slice(before).filter((r) => r.path.includes("access_tokens")),
    ).toHaveLength(1);
    const list = await as("reader", "GET", `/api/v1/github/repositories?account=${w.a}`);
    expect(list.body.items.map((r: { name: string }) => r.name)).toEqual(["blog", "shop"]);
  });

  it("says GitHub's refusal with its payload, and the row ends failed without a token", async () => {
    const gen = await as("accountAdmin", "POST", `/api/v1/templates/${template}/generate`, {
      name: "taken",
    });
    const task = await settleTask(s, gen.body.taskId);
    expect(task.state).toBe("failed");
    const got = await as("reader", "GET", `/api/v1/github/repositories/${gen.body.id}`);
    expect(got.body.status).toBe("failed");
    expect(got.body.error).toBe(
      "GitHub answered HTTP 422: Repository creation failed. (name: name already exists on this account) see https://docs.github.com/rest/repos/repos#create-a-repository-using-a-template",
    );
    const logs = await taskLogText(s, gen.body.taskId);
    expect(`${logs} ${task.last_error ?? ""} ${JSON.stringify(got.body)}`).not.toMatch(
      /ghs_|PRIVATE KEY/,
    );
    // an owner the App is not installed on: both lookups 404, said so
    const elsewhere = await as("accountAdmin", "POST", `/api/v1/templates/${template}/generate`, {
      name: "x",
      owner: "nobody",
    });
    await settleTask(s, elsewhere.body.taskId);
    const failed = await as("reader", "GET", `/api/v1/github/repositories/${elsewhere.body.id}`);
    expect(failed.body.error).toMatch(
      /^GitHub answered HTTP 404: Not Found see https:\/\/docs\.github\.com\/rest\/apps\/apps#get-a-user-installation/,
    );
    expect(github.requests.map((r) => r.path)).toContain("/orgs/nobody/installation");
  });

  it("refuses hostile names and who may not generate, changing nothing", async () => {
    const count = async () =>
      (await s.svc.db.db.selectFrom("github_repositories").select("id").execute()).length;
    const before = await count();
    const names = [
      "a b",
      "x;rm -rf /",
      "`id`",
      "..",
      ".",
      "a/../b",
      "name.git",
      "x".repeat(101),
      "a\nb",
      "a\u0000",
    ];
    for (const name of names) {
      const r = await as("accountAdmin", "POST", `/api/v1/templates/${template}/generate`, {
        name,
      });
      expect(r.status, name).toBe(400);
      expect(r.body.error.details[0].field).toBe("body.name");
    }
    for (const owner of ["-acme", "acme-", "a--b", "a".repeat(40), "ac'me", "a/b"]) {
      const r = await as("accountAdmin", "POST", `/api/v1/templates/${template}/generate`, {
        name: "ok",
        owner,
      });
      expect([r.status, r.body.error.details[0].field], owner).toEqual([400, "body.owner"]);
    }
    const extra = await as("accountAdmin", "POST", `/api/v1/templates/${template}/generate`, {
      name: "ok",
      force: true,
    });
    expect(extra.status).toBe(400);
    expect(
      (await as("reader", "POST", `/api/v1/templates/${template}/generate`, { name: "ok" })).status,
    ).toBe(403);
    expect(
      (await as("otherAdmin", "POST", `/api/v1/templates/${template}/generate`, { name: "ok" }))
        .status,
    ).toBe(404);
    expect(await count()).toBe(before);
  });
});
