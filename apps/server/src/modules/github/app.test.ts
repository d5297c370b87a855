// The App's JWT and token cache against the strict GitHub fake: the fake refuses what GitHub
// refuses (another key's signature, an expiry past 10 minutes, no User-Agent, another media
// type or API version), and an installation token is reused until a minute before it expires.
import { generateKeyPairSync, sign } from "node:crypto";
import { startGithubFake } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { appJwt, readAppKey } from "../../integrations/github/app-jwt.ts";
import { githubClient } from "../../integrations/github/client.ts";
import { createAppCache } from "./app.ts";

const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PUBLIC = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
const github = await startGithubFake({
  appId: 7,
  publicKey: PUBLIC,
  installations: [{ id: 5, account: "ada", type: "User", repositories: "all" }],
  repos: [],
  tokenTtlMs: 90_000,
});
const client = githubClient(github.base, {
  policy: { allowPrivate: false, allow: ["127.0.0.1/32"], deny: [], endpoints: [] },
});
const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const jwtWith = (claims: Record<string, unknown>, key = pair.privateKey) => {
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}`;
  return `${unsigned}.${sign("sha256", Buffer.from(unsigned), key).toString("base64url")}`;
};
const raw = (headers: Record<string, string>) =>
  fetch(`${github.base}/app`, { headers }).then(async (r) => [r.status, (await r.json()).message]);

describe("GitHub App JWT and tokens", () => {
  afterAll(() => github.stop());

  it("the fake refuses a JWT GitHub would refuse, and requests without GitHub's headers", async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = {
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      "user-agent": "t",
    };
    const cases: [string, RegExp][] = [
      [
        jwtWith({ iat: now - 60, exp: now + 540, iss: "7" }, other.privateKey),
        /could not be decoded/,
      ],
      [jwtWith({ iat: now - 60, exp: now + 1200, iss: "7" }), /'Expiration time' claim/],
      [jwtWith({ iat: now + 600, exp: now + 540, iss: "7" }), /'Issued at' claim/],
      [jwtWith({ iat: now - 60, exp: now + 540, iss: "8" }), /'Issuer' claim/],
    ];
    for (const [jwt, says] of cases) {
      const [status, message] = await raw({ ...good, authorization: `Bearer ${jwt}` });
      expect([status, message]).toEqual([401, expect.stringMatching(says)]);
    }
    const jwt = appJwt(7, pair.privateKey);
    expect(await raw({ ...good, authorization: `Bearer ${jwt}` })).toEqual([200, undefined]);
    expect((await raw({ ...good, "user-agent": "", authorization: `Bearer ${jwt}` }))[0]).toBe(403);
    expect((await raw({ ...good, accept: "*/*", authorization: `Bearer ${jwt}` }))[0]).toBe(415);
    expect(
      (
        await raw({ ...good, "x-github-api-version": "2099-01-01", authorization: `Bearer ${jwt}` })
      )[0],
    ).toBe(400);
  });

  it("reads only RSA keys of 2048 bits or more", () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
    expect(readAppKey(small.privateKey.export({ format: "pem", type: "pkcs1" }).toString())).toBe(
      "must be at least 2048 bits",
    );
    expect(readAppKey("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----")).toBe(
      "is not a readable private key (PEM)",
    );
  });

  it("resolves the installation by organization then user, and reuses a token until a minute before expiry", async () => {
    let now = Date.now();
    const read = readAppKey(pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString());
    if (typeof read === "string") throw new Error(read);
    const session = createAppCache(() => now).session(client, { appId: 7, ...read });
    const before = github.requests.length;
    expect(await session.installationFor("ada")).toBe(5);
    expect(await session.installationFor("ADA")).toBe(5);
    const first = await session.tokenFor(5);
    expect(await session.tokenFor(5)).toBe(first);
    now += 31_000; // a token of 90 s: within its last minute now
    const second = await session.tokenFor(5);
    expect(second).not.toBe(first);
    expect(github.requests.slice(before).map((r) => `${r.path} ${r.status}`)).toEqual([
      "/orgs/ada/installation 404",
      "/users/ada/installation 200",
      "/app/installations/5/access_tokens 201",
      "/app/installations/5/access_tokens 201",
    ]);
  });
});
