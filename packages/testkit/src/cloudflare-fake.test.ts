// The Cloudflare fake is strict like the documented API: each malformed record or batch is
// refused with Cloudflare's code, and a refused batch changes nothing (all or none).
import { afterAll, describe, expect, it } from "vitest";
import { startCloudflareFake } from "./cloudflare-fake.ts";

const GOOD = "good-token-0123456789abcdef";
const cf = await startCloudflareFake({ zones: ["full.test"], tokens: { [GOOD]: {} } });
const held = (zone: string) =>
  cf
    .records()
    .filter((r) => r.zone_name === zone)
    .map((r) => `${r.name} ${r.type} ${r.content} ${r.ttl}`)
    .sort();

describe("Cloudflare fake", () => {
  afterAll(() => cf.stop());

  it("the fake refuses what Cloudflare's API refuses, and a refused batch changes nothing", async () => {
    const auth = { authorization: `Bearer ${GOOD}`, "content-type": "application/json" };
    const zone = (await (await fetch(`${cf.base}/zones?name=full.test`, { headers: auth })).json())
      .result[0].id as string;
    const batch = (body: unknown) =>
      fetch(`${cf.base}/zones/${zone}/dns_records/batch`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify(body),
      }).then(async (r) => [
        r.status,
        ((await r.json()) as { errors: { code: number }[] }).errors[0]?.code,
      ]);
    const a = { type: "A", name: "ok.full.test", content: "192.0.2.1", ttl: 60 };
    const before = held("full.test");
    expect(await batch({ posts: [a], surprise: [] })).toEqual([400, 9207]);
    expect(await batch({ posts: [a, { ...a, type: "MX", content: "mx.full.test" }] })).toEqual([
      400, 9207,
    ]);
    expect(await batch({ posts: [a, { ...a, type: "SRV", content: "1 2 x" }] })).toEqual([
      400, 9207,
    ]);
    expect(
      await batch({ posts: [a, { ...a, type: "TXT", proxied: false, content: "x" }] }),
    ).toEqual([400, 9207]);
    expect(await batch({ posts: [a, { ...a, ttl: 30 }] })).toEqual([400, 9021]);
    expect(await batch({ posts: [a, { ...a, content: "not-an-ip" }] })).toEqual([400, 9005]);
    expect(await batch({ posts: Array.from({ length: 201 }, () => a) })).toEqual([400, 81000]);
    expect(await batch({ deletes: [{ id: "nope" }], posts: [a] })).toEqual([404, 81044]);
    expect(held("full.test")).toEqual(before);
  });
});
