// DNS providers against the strict Cloudflare fake: a token is checked before it is kept, and
// each way it can be wrong is said in words naming the field (invalid, no Zone.DNS permission,
// a zone it does not reach); a kept token is sealed, never answered, tested again and removed.
// The fake itself refuses what the documented API refuses.
import { startCloudflareFake } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../testing/use-server.ts";

const GOOD = "good-token-0123456789abcdef";
const NO_DNS = "nodns-token-0123456789abcdef";
const cloudflare = await startCloudflareFake({
  zones: ["example.test", "other.test"],
  tokens: { [GOOD]: {}, [NO_DNS]: { dns: false, zones: ["example.test"] } },
});

describe("DNS providers (Cloudflare)", () => {
  const s = useServer("sqlite", {
    env: { STEWARD_CLOUDFLARE_API: cloudflare.base, STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" },
  });
  const w = useWorld(s);
  afterAll(() => cloudflare.stop());
  const add = (body: Record<string, unknown>) =>
    s.request("POST", "/api/v1/dns-providers", {
      key: w.keys.super,
      body: { account: w.a, name: "cf", ...body },
    });

  it("refuses a token that is invalid, lacks Zone.DNS or misses a zone, in words naming the field", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ token: "wrong-token-0123456789abcdef" }, "token", /Cloudflare says the token is invalid/],
      [
        { token: NO_DNS },
        "token",
        /lacks the Zone\.DNS permission \(reading the records of example\.test\)/,
      ],
      [
        { token: GOOD, zones: ["example.test", "nope.test"] },
        "zones",
        /zone nope\.test not found: the token reaches example\.test, other\.test/,
      ],
    ];
    for (const [body, field, says] of cases) {
      const r = await add(body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.details).toEqual([{ field, message: expect.stringMatching(says) }]);
    }
    expect(await s.svc.db.db.selectFrom("dns_providers").selectAll().execute()).toEqual([]);
  });

  it("keeps a checked token sealed, never answers it, tests it again and removes it", async () => {
    const created = await add({ token: GOOD, zones: ["example.test"] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: "cloudflare", name: "cf", zones: ["example.test"] });
    const rows = await s.svc.db.db.selectFrom("dns_providers").selectAll().execute();
    expect(rows[0]?.token_enc).toMatch(/^v1:/);
    expect(rows[0]?.token_enc).not.toContain(GOOD);
    const key = { key: w.keys.super };
    const list = await s.request("GET", `/api/v1/dns-providers?account=${w.a}`, key);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
    expect(JSON.stringify(list.body)).not.toContain(GOOD);
    const twice = await add({ token: GOOD });
    expect([twice.status, twice.body.error.details]).toEqual([
      409,
      [{ field: "name", message: expect.stringMatching(/already has a DNS provider named cf/) }],
    ]);
    const tested = await s.request("POST", `/api/v1/dns-providers/${created.body.id}/test`, key);
    expect([tested.status, tested.body.zones]).toEqual([200, ["example.test"]]);
    const audit = await s.request("GET", "/api/v1/audit-events?action=dns_provider.*", key);
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
      "dns_provider.create",
      "dns_provider.test",
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(GOOD);
    const removed = await s.request("DELETE", `/api/v1/dns-providers/${created.body.id}`, key);
    expect(removed.status).toBe(204);
    expect((await s.request("GET", `/api/v1/dns-providers/${created.body.id}`, key)).status).toBe(
      404,
    );
  });

  it("the fake refuses what Cloudflare's API refuses, with its documented codes", async () => {
    const at = (path: string, init: RequestInit = {}) =>
      fetch(`${cloudflare.base}${path}`, init).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { success: boolean; errors: { code: number }[] },
      }));
    const auth = { authorization: `Bearer ${GOOD}` };
    const zones = await at("/zones?name=example.test", { headers: auth });
    const zone = (zones.body as unknown as { result: { id: string }[] }).result[0]?.id;
    const json = { ...auth, "content-type": "application/json" };
    const record = { type: "TXT", name: "_acme-challenge.example.test", content: "x", ttl: 60 };
    const cases: [
      Promise<{ status: number; body: { errors: { code: number }[] } }>,
      number,
      number,
    ][] = [
      [at("/zones"), 400, 6003],
      [
        at("/zones", { headers: { authorization: "Bearer nobody-0123456789abcdefgh" } }),
        403,
        10000,
      ],
      [
        at("/user/tokens/verify", {
          headers: { authorization: "Bearer nobody-0123456789abcdefgh" },
        }),
        401,
        1000,
      ],
      [at("/zones", { method: "PATCH", headers: auth }), 405, 10405],
      [at("/zones?surprise=1", { headers: auth }), 400, 9207],
      [at("/nowhere", { headers: auth }), 404, 7000],
      [
        at(`/zones/${zone}/dns_records`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ ...record, surprise: 1 }),
        }),
        400,
        9207,
      ],
      [
        at(`/zones/${zone}/dns_records`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ ...record, name: "_acme-challenge.other.test" }),
        }),
        400,
        9007,
      ],
      [
        at(`/zones/${zone}/dns_records`, {
          method: "POST",
          headers: auth,
          body: JSON.stringify(record),
        }),
        400,
        6003,
      ],
    ];
    for (const [answer, status, code] of cases) {
      const got = await answer;
      expect([
        got.status,
        got.body.errors[0]?.code,
        (got.body as { success?: boolean }).success,
      ]).toEqual([status, code, false]);
    }
    expect(cloudflare.records()).toEqual([]);
    expect(
      cloudflare.requests.filter((r) => r.path.endsWith("/dns_records") && r.method === "POST"),
    ).toHaveLength(3);
  });
});
