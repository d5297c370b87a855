// Zones held at Cloudflare when something is wrong, against the strict, recording Cloudflare
// fake: a token that may not edit and Cloudflare's rate limit are told in words (the one final,
// the other retried); hostile values, Cloudflare's TTL limits and another account's provider
// are refused naming the field before any write reaches Cloudflare.
import { startCloudflareFake } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { STEWARD_MARK } from "./cloudflare-records.ts";

const GOOD = "good-token-0123456789abcdef";
const READ_ONLY = "read-token-0123456789abcdef";
const OTHER = "othr-token-0123456789abcdef";
const cf = await startCloudflareFake({
  zones: ["cf.test", "full.test", "ro.test", "spare.test"],
  tokens: {
    [GOOD]: { zones: ["full.test", "spare.test"] },
    [READ_ONLY]: { zones: ["ro.test"], dnsWrite: false },
    [OTHER]: { zones: ["cf.test"] },
  },
});
const Z = "/api/v1/dns/zones";
const writes = () => cf.requests.filter((r) => r.method !== "GET");
const held = (zone: string) =>
  cf
    .records()
    .filter((r) => r.zone_name === zone)
    .map((r) => `${r.name} ${r.type} ${r.content} ${r.ttl}${r.comment ? ` (${r.comment})` : ""}`)
    .sort();

describe("DNS zones at Cloudflare: refusals", () => {
  const s = useServer("sqlite", {
    env: { STEWARD_CLOUDFLARE_API: cf.base, STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" },
  });
  const w = useWorld(s);
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const providers: Record<string, string> = {};
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 30_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    for (const [name, token, account] of [
      ["main", GOOD, w.a],
      ["ro", READ_ONLY, w.a],
      ["theirs", OTHER, w.b],
    ] as const) {
      const r = await api("POST", "/api/v1/dns-providers", { account, name, token });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      providers[name] = r.body.id;
    }
    const full = await api("POST", Z, {
      account: w.a,
      name: "full.test",
      provider: providers.main,
      fullSync: true,
    });
    expect(full.status, JSON.stringify(full.body)).toBe(201);
    await settled(full.body.taskId);
  });
  afterAll(() => cf.stop());

  it("says in words when the token may not edit, and when Cloudflare rate-limits", async () => {
    const r = await api("POST", Z, {
      account: w.a,
      name: "ro.test",
      provider: providers.ro,
      records: [{ name: "www", type: "A", value: "192.0.2.1" }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const task = await settleTask(s, r.body.taskId, 30_000);
    expect(task.state).toBe("failed");
    const zone = (await api("GET", `${Z}/${r.body.id}`)).body;
    expect([zone.status, zone.lastError]).toEqual([
      "failed",
      expect.stringMatching(/token of DNS provider ro may not edit the DNS records of ro\.test/),
    ]);
    const main = (await api("GET", `${Z}?account=${w.a}`)).body.items.find(
      (z: { name: string }) => z.name === "full.test",
    );
    cf.failNext(429, 971, "Please wait and consider throttling your request speed");
    const limited = await api("POST", `${Z}/${main.id}/records`, {
      name: "x",
      type: "A",
      value: "192.0.2.99",
    });
    const until = Date.now() + 20_000;
    let seen = "";
    while (!seen && Date.now() < until) {
      seen = (await api("GET", `${Z}/${main.id}`)).body.lastError ?? "";
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(seen).toMatch(/Cloudflare's rate limit was reached: the change is tried again later/);
    await settled(limited.body.zone.taskId);
    expect(held("full.test")).toEqual([`x.full.test A 192.0.2.99 3600 (${STEWARD_MARK})`]);
  }, 60_000);

  it("refuses hostile values, Cloudflare's TTL limits and another account's provider before sending anything", async () => {
    const sent = writes().length;
    const zones = await s.svc.db.db.selectFrom("dns_zones").select("id").execute();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "cf2.test", provider: providers.theirs }, "body.provider"],
      [{ name: "cf.test", provider: "dnsp_nope" }, "body.provider"],
      [{ name: "other.test", provider: providers.main }, "body.provider"],
      [{ name: "a.test", provider: providers.main, node: "node_x" }, "body.node"],
      [
        {
          name: "spare.test",
          provider: providers.main,
          records: [{ name: "x", type: "TXT", value: "a\u0000b" }],
        },
        "body.records.0.value",
      ],
    ];
    for (const [body, field] of cases) {
      const r = await api("POST", Z, { account: w.a, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.details[0].field).toBe(field);
    }
    const full = (await api("GET", `${Z}?account=${w.a}`)).body.items.find(
      (z: { name: string }) => z.name === "full.test",
    );
    for (const [record, field] of [
      [{ name: "x;rm", type: "A", value: "192.0.2.1" }, "body.name"],
      [{ name: "t", type: "TXT", value: "line\nbreak" }, "body.value"],
      [{ name: "t", type: "CNAME", value: `${"a".repeat(250)}.example.` }, "body.value"],
      [{ name: "t", type: "A", ttl: 30, value: "192.0.2.1" }, "body.ttl"],
    ] as const) {
      const r = await api("POST", `${Z}/${full.id}/records`, record);
      expect([r.status, r.body.error?.details?.[0]?.field], JSON.stringify(r.body)).toEqual([
        400,
        field,
      ]);
    }
    // Cloudflare serves the zone: it has no secondaries on nodes
    const secondary = await api("POST", `${Z}/${full.id}/secondaries`, { node: "node_x" });
    expect([secondary.status, secondary.body.error.details[0].field]).toEqual([400, "body.node"]);
    expect(secondary.body.error.message).toMatch(/held at a DNS provider \(Cloudflare\)/);
    // another account's admin does not see the zone, and cannot use a provider of A
    const theirs = await api(
      "POST",
      Z,
      { name: "zz.test", provider: providers.main },
      w.keys.otherAdmin,
    );
    expect([theirs.status, theirs.body.error.details[0].field]).toEqual([400, "body.provider"]);
    expect(JSON.stringify(theirs.body)).not.toContain("cf.test");
    expect((await api("GET", `${Z}/${full.id}`, undefined, w.keys.otherAdmin)).status).toBe(404);
    expect(writes().length).toBe(sent);
    expect(await s.svc.db.db.selectFrom("dns_zones").select("id").execute()).toEqual(zones);
  });
});
