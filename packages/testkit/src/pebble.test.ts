import { X509Certificate } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { afterAll, describe, expect, it } from "vitest";
import { startPebble } from "./pebble.ts";

const pebble = await startPebble({ httpPort: 5002, address: "127.0.0.2" });
afterAll(async () => {
  await pebble?.stop();
});

const getJson = (url: string, ca: string) =>
  new Promise<Record<string, unknown>>((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () => resolve(JSON.parse(body)));
    })
      .on("error", reject)
      .end();
  });

describe.skipIf(!pebble)("testkit pebble", () => {
  it("serves an ACME directory over TLS its CA file vouches for", async () => {
    if (!pebble) return;
    const dir = await getJson(pebble.directory, readFileSync(pebble.caFile, "utf8"));
    expect(dir.newAccount).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
    expect(dir.newOrder).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
    await expect(getJson(pebble.directory, "")).rejects.toThrow(/certificate/);
  });

  it("gives its issuing root", async () => {
    const root = new X509Certificate((await pebble?.root()) ?? "");
    expect(root.ca).toBe(true);
    expect(root.subject).toMatch(/Pebble Root CA/);
  });

  it("resolves every name to the test address, and to another when told", async () => {
    if (!pebble) return;
    const dns = new Resolver();
    dns.setServers([pebble.dnsServer]);
    expect(await dns.resolve4("shop.example.test")).toEqual(["127.0.0.2"]);
    await pebble.setA("elsewhere.example.test", "192.0.2.7");
    expect(await dns.resolve4("elsewhere.example.test")).toEqual(["192.0.2.7"]);
    await pebble.clearA("elsewhere.example.test");
    expect(await dns.resolve4("elsewhere.example.test")).toEqual(["127.0.0.2"]);
  });
});
