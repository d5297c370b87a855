// Zones held at Cloudflare, against the strict, recording Cloudflare fake (Cloudflare cannot run
// here): a zone names a DNS provider of its account instead of a node, imports what Cloudflare
// holds, and each apply sends the difference as batches of the documented shapes (asserted
// request by request); records Steward did not write stay unless the zone is fully synced;
// dns-01 goes through the zone. Refusals: dns-cloudflare-refusals.test.ts.
import { startCloudflareFake } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { presentTxt, removeTxt } from "./acme.ts";
import { STEWARD_MARK } from "./cloudflare-records.ts";

const GOOD = "good-token-0123456789abcdef";
const cf = await startCloudflareFake({
  zones: ["cf.test", "full.test", "many.test"],
  tokens: { [GOOD]: {} },
});
const Z = "/api/v1/dns/zones";
const writes = () => cf.requests.filter((r) => r.method !== "GET");
const held = (zone: string) =>
  cf
    .records()
    .filter((r) => r.zone_name === zone)
    .map((r) => `${r.name} ${r.type} ${r.content} ${r.ttl}${r.comment ? ` (${r.comment})` : ""}`)
    .sort();

describe("DNS zones at Cloudflare", () => {
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
  const create = async (body: Record<string, unknown>) => {
    const r = await api("POST", Z, { account: w.a, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await settled(r.body.taskId);
    return r.body as { id: string; taskId: string };
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    for (const [name, token, account] of [["main", GOOD, w.a]] as const) {
      const r = await api("POST", "/api/v1/dns-providers", { account, name, token });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      providers[name] = r.body.id;
    }
    cf.seed("cf.test", { type: "A", name: "legacy.cf.test", content: "198.51.100.7", ttl: 1 });
    cf.seed("cf.test", {
      type: "TXT",
      name: "cf.test",
      content: "site-verification=abc",
      ttl: 300,
    });
  });
  afterAll(() => cf.stop());

  it("imports a zone's records and sends the difference as one batch of the documented shapes", async () => {
    const before = cf.requests.length;
    const zone = await create({
      name: "cf.test",
      provider: providers.main,
      import: true,
      records: [
        { name: "www", type: "A", ttl: 300, value: "192.0.2.10" },
        { name: "@", type: "MX", value: "10 mail" },
        { name: "mail", type: "A", value: "192.0.2.25" },
        { name: "_sip._tcp", type: "SRV", value: "10 5 5060 sip.cf.test." },
        { name: "@", type: "CAA", value: '0 issue "letsencrypt.org"' },
        { name: "quote", type: "TXT", value: 'say "hi"; $ORIGIN \\ no' },
      ],
    });
    const got = await api("GET", `${Z}/${zone.id}`);
    expect(got.body).toMatchObject({
      nodeId: null,
      providerId: providers.main,
      fullSync: false,
      backend: "cloudflare",
      status: "active",
    });
    const records = await api("GET", `${Z}/${zone.id}/records`);
    expect(
      records.body.items.map((r: { name: string; type: string; value: string }) =>
        [r.name, r.type, r.value].join(" "),
      ),
    ).toEqual(
      expect.arrayContaining([
        "legacy A 198.51.100.7",
        "@ TXT site-verification=abc",
        "@ NS ada.ns.cloudflare.com.",
        "@ NS bob.ns.cloudflare.com.",
      ]),
    );
    const sent = cf.requests.slice(before).filter((r) => r.method !== "GET");
    expect(sent.map((r) => [r.method, r.path.replace(/zones\/\w+/, "zones/ID"), r.status])).toEqual(
      [["POST", "/client/v4/zones/ID/dns_records/batch", 200]],
    );
    const body = sent[0]?.body as { deletes?: unknown[]; puts: { id: string }[]; posts: unknown[] };
    expect(body.deletes).toEqual([]);
    const mark = { comment: STEWARD_MARK };
    // what Cloudflare held and Steward imported is adopted (marked, its TTL kept: 1 = 300 s)
    expect(body.puts.map(({ id: _id, ...p }) => p)).toEqual([
      {
        type: "A",
        name: "legacy.cf.test",
        content: "198.51.100.7",
        ttl: 300,
        proxied: false,
        ...mark,
      },
      { type: "TXT", name: "cf.test", content: "site-verification=abc", ttl: 300, ...mark },
    ]);
    expect(body.posts).toEqual([
      { type: "A", name: "www.cf.test", content: "192.0.2.10", ttl: 300, proxied: false, ...mark },
      { type: "MX", name: "cf.test", priority: 10, content: "mail.cf.test", ttl: 3600, ...mark },
      {
        type: "A",
        name: "mail.cf.test",
        content: "192.0.2.25",
        ttl: 3600,
        proxied: false,
        ...mark,
      },
      {
        type: "SRV",
        name: "_sip._tcp.cf.test",
        data: { priority: 10, weight: 5, port: 5060, target: "sip.cf.test" },
        ttl: 3600,
        ...mark,
      },
      {
        type: "CAA",
        name: "cf.test",
        data: { flags: 0, tag: "issue", value: "letsencrypt.org" },
        ttl: 3600,
        ...mark,
      },
      {
        type: "TXT",
        name: "quote.cf.test",
        content: 'say "hi"; $ORIGIN \\ no',
        ttl: 3600,
        ...mark,
      },
    ]);
    // the apex NS records are Cloudflare's: never written
    expect(held("cf.test").some((r) => r.includes(" NS "))).toBe(false);

    // applied again with nothing changed: read, nothing sent
    const again = await api("POST", `${Z}/${zone.id}/apply`);
    const mark2 = cf.requests.length;
    await settled(again.body.taskId);
    expect(cf.requests.slice(mark2).filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("changes and deletions are sent as deletes and posts; a record made at Cloudflare stays", async () => {
    const zone = (await api("GET", `${Z}?account=${w.a}`)).body.items.find(
      (z: { name: string }) => z.name === "cf.test",
    );
    cf.seed("cf.test", { type: "A", name: "hand.cf.test", content: "198.51.100.9", ttl: 300 });
    const records = (await api("GET", `${Z}/${zone.id}/records`)).body.items as {
      id: string;
      name: string;
      type: string;
    }[];
    const www = records.find((r) => r.name === "www");
    const sent = writes().length;
    const legacy = records.find((r) => r.name === "legacy");
    const changed = await api("PATCH", `${Z}/${zone.id}/records/${www?.id}`, {
      value: "192.0.2.11",
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const removed = await api("DELETE", `${Z}/${zone.id}/records/${legacy?.id}`);
    await settled(removed.body.zone.taskId);
    expect(held("cf.test")).toEqual(
      expect.arrayContaining([
        `www.cf.test A 192.0.2.11 300 (${STEWARD_MARK})`,
        "hand.cf.test A 198.51.100.9 300",
      ]),
    );
    expect(held("cf.test").join("\n")).not.toMatch(/legacy|192\.0\.2\.10/);
    // one batch or two (the delete may come after the change's task ran)
    const batches = writes().slice(sent) as {
      body: { deletes: unknown[]; posts: { content: string }[] };
    }[];
    expect(batches.flatMap((b) => b.body.deletes)).toHaveLength(2);
    expect(batches.flatMap((b) => b.body.posts.map((p) => p.content))).toEqual(["192.0.2.11"]);
  });

  it("a fully synced zone deletes what Steward did not write; a zone of 450 records goes in batches of 200", async () => {
    cf.seed("full.test", { type: "A", name: "stray.full.test", content: "198.51.100.1", ttl: 300 });
    await create({ name: "full.test", provider: providers.main, fullSync: true });
    expect(held("full.test")).toEqual([]);
    const before = writes().length;
    const many = Array.from({ length: 450 }, (_, i) => ({
      name: `h${i}`,
      type: "A",
      value: `192.0.2.${i % 250}`,
    }));
    await create({ name: "many.test", provider: providers.main, records: many });
    const batches = writes()
      .slice(before)
      .map((r) => (r.body as { posts: unknown[] }).posts.length);
    expect(batches).toEqual([200, 200, 50]);
    expect(held("many.test")).toHaveLength(450);
  });

  it("dns-01 puts the challenge at Cloudflare through the zone; the provider stays while it holds zones", async () => {
    const deps = { db: s.svc.db, engine: s.svc.engine };
    await presentTxt(deps, { accountId: w.a, fqdn: "shop.cf.test", value: "token-value-1" });
    expect(held("cf.test")).toContain(
      `_acme-challenge.shop.cf.test TXT token-value-1 60 (${STEWARD_MARK})`,
    );
    await removeTxt(deps, { accountId: w.a, fqdn: "shop.cf.test", value: "token-value-1" });
    expect(held("cf.test").join("\n")).not.toContain("_acme-challenge");
    const busy = await api("DELETE", `/api/v1/dns-providers/${providers.main}`);
    expect([busy.status, busy.body.error.message]).toEqual([
      409,
      expect.stringMatching(/holds the zone cf\.test/),
    ]);
  });

  it("deleting a zone stops managing it and leaves Cloudflare's records", async () => {
    const zone = (await api("GET", `${Z}?account=${w.a}`)).body.items.find(
      (z: { name: string }) => z.name === "many.test",
    );
    const sent = writes().length;
    const r = await api("DELETE", `${Z}/${zone.id}`);
    await settled(r.body.taskId);
    expect((await api("GET", `${Z}/${zone.id}`)).status).toBe(404);
    expect(held("many.test")).toHaveLength(450);
    expect(writes().length).toBe(sent);
  });
});
