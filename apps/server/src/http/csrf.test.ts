// Finding 4: a state-changing request authenticated by a cookie must come from the console's
// own origin (Origin, or Sec-Fetch-Site: same-origin). API keys are exempt; reads are not
// affected. The browser attack itself (a no-cors POST from another origin of the same site)
// is in apps/web/e2e/csrf.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { auditRows } from "../testing/auth.ts";
import { useServer } from "../testing/use-server.ts";

describe("cross-site request forgery", () => {
  const s = useServer("sqlite");
  let cookie: string;
  let key: string;
  let account: string;
  beforeAll(async () => {
    const boss = await s.createUser("boss@example.com", { super: true });
    cookie = await s.signIn(boss.email);
    key = await s.apiKey(boss.id);
    const a = await s.request("POST", "/api/v1/accounts", {
      key,
      body: { slug: "target", name: "Target" },
    });
    account = a.body.id;
  });

  const name = async () =>
    (await s.request("GET", `/api/v1/accounts/${account}`, { key })).body.name;

  it("refuses cookie changes without a matching Origin, and changes nothing", async () => {
    for (const origin of ["", "http://localhost:9999", "http://evil.example", "null"]) {
      for (const [method, path, body] of [
        ["POST", "/api/v1/accounts", { slug: "forged", name: "x" }],
        ["PATCH", `/api/v1/accounts/${account}`, { name: "forged" }],
        ["DELETE", `/api/v1/accounts/${account}`, undefined],
      ] as const) {
        const res = await s.request(method, path, { cookie, body, headers: { origin } });
        expect(res.status, `${method} ${path} from "${origin}"`).toBe(403);
        expect(res.body.error.message).toContain("Origin must be http://localhost:8080");
      }
    }
    expect(await name()).toBe("Target");
    const slugs = (await s.request("GET", "/api/v1/accounts", { key })).body.items.map(
      (a: { slug: string }) => a.slug,
    );
    expect(slugs).not.toContain("forged");
    expect((await auditRows(s, "account.update")).map((e) => e.outcome)).toEqual(
      Array(4).fill("denied"),
    );
  });

  it("accepts the console's origin, or Sec-Fetch-Site: same-origin without one", async () => {
    const withOrigin = await s.request("PATCH", `/api/v1/accounts/${account}`, {
      cookie,
      body: { name: "Renamed" },
      headers: { origin: "http://localhost:8080" },
    });
    expect(withOrigin.status).toBe(200);
    const fetchMeta = await s.request("PATCH", `/api/v1/accounts/${account}`, {
      cookie,
      body: { name: "Renamed again" },
      headers: { origin: "", "sec-fetch-site": "same-origin" },
    });
    expect(fetchMeta.status).toBe(200);
    const crossSite = await s.request("PATCH", `/api/v1/accounts/${account}`, {
      cookie,
      body: { name: "x" },
      headers: { origin: "", "sec-fetch-site": "same-site" },
    });
    expect(crossSite.status).toBe(403);
    expect(await name()).toBe("Renamed again");
  });

  it("does not affect reads, nor API keys without Origin", async () => {
    const read = await s.request("GET", "/api/v1/me", { cookie, headers: { origin: "" } });
    expect(read.status).toBe(200);
    const byKey = await s.request("PATCH", `/api/v1/accounts/${account}`, {
      key,
      body: { name: "By key" },
    });
    expect(byKey.status).toBe(200);
  });

  it("holds better-auth's endpoints to the same rule", async () => {
    const out = await s.request("POST", "/api/auth/sign-out", {
      cookie,
      body: {},
      headers: { origin: "" },
    });
    expect(out.status).toBe(403);
    expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(200);
  });
});
