// Records as Cloudflare answers them, read back into the panel's canonical form, and the plan
// of an apply: what it adopts, leaves, rewrites and deletes (the request shapes themselves are
// asserted against the fake in dns-cloudflare.test.ts).
import { checkZone, type DnsRecord } from "@steward/contracts/dns";
import { describe, expect, it } from "vitest";
import type { CloudflareRecord } from "../../integrations/cloudflare/client.ts";
import { batches, planChanges } from "./cloudflare-apply.ts";
import { fromCloudflare, STEWARD_MARK, toCloudflare } from "./cloudflare-records.ts";

const Z = "cf.test";
const cf = (r: Partial<CloudflareRecord> & { type: string; name: string }): CloudflareRecord => ({
  id: `id-${r.type}-${r.name}-${r.content ?? ""}`,
  content: "",
  ttl: 300,
  comment: STEWARD_MARK,
  ...r,
});
const canonical = (inputs: unknown[]) => {
  const r = checkZone(Z, [{ name: "@", type: "NS", value: "ada.ns.cloudflare.com." }, ...inputs]);
  if (!r.records) throw new Error(JSON.stringify(r.issues));
  return r.records.slice(1);
};

describe("Cloudflare records", () => {
  it("reads every kept type back as the panel writes it, and skips the others", () => {
    const read = [
      cf({ type: "TXT", name: "t.cf.test", content: '"v=spf1 " "-all"' }),
      cf({ type: "TXT", name: "q.cf.test", content: 'say "hi"' }),
      cf({ type: "MX", name: Z, content: "mail.cf.test", priority: 5, ttl: 1 }),
      cf({
        type: "SRV",
        name: "_sip._tcp.cf.test",
        content: "5 5060 sip.cf.test",
        data: { priority: 10, weight: 5, port: 5060, target: "sip.cf.test" },
      }),
      cf({ type: "CAA", name: Z, data: { flags: 0, tag: "issue", value: "letsencrypt.org" } }),
      cf({ type: "CNAME", name: "www.cf.test", content: "cf.test" }),
    ].map(fromCloudflare);
    expect(canonical(read)).toEqual([
      { name: "t", type: "TXT", ttl: 300, value: "v=spf1 -all" },
      { name: "q", type: "TXT", ttl: 300, value: 'say "hi"' },
      { name: "@", type: "MX", ttl: 300, value: "5 mail.cf.test." },
      { name: "_sip._tcp", type: "SRV", ttl: 300, value: "10 5 5060 sip.cf.test." },
      { name: "@", type: "CAA", ttl: 300, value: '0 issue "letsencrypt.org"' },
      { name: "www", type: "CNAME", ttl: 300, value: "cf.test." },
    ]);
    expect(fromCloudflare(cf({ type: "HTTPS", name: Z, content: "1 . alpn=h2" }))).toBeNull();
  });

  it("plans adoption, updates, deletions and creations; full sync deletes only kept types", () => {
    const desired: DnsRecord[] = canonical([
      { name: "a", type: "A", ttl: 300, value: "192.0.2.1" },
      { name: "b", type: "A", ttl: 600, value: "192.0.2.2" },
      { name: "p", type: "A", ttl: 300, value: "192.0.2.3" },
      { name: "new", type: "AAAA", ttl: 300, value: "2001:db8::1" },
    ]);
    const held = [
      cf({ type: "A", name: "a.cf.test", content: "192.0.2.1", comment: null }),
      cf({ type: "A", name: "b.cf.test", content: "192.0.2.2" }),
      cf({ type: "A", name: "p.cf.test", content: "192.0.2.3", proxied: true, ttl: 1 }),
      cf({ type: "A", name: "old.cf.test", content: "192.0.2.9" }),
      cf({ type: "A", name: "hand.cf.test", content: "192.0.2.8", comment: null }),
      cf({ type: "HTTPS", name: Z, content: "1 . alpn=h2", comment: null }),
      cf({ type: "NS", name: Z, content: "ada.ns.cloudflare.com", comment: null }),
    ];
    const plan = planChanges(Z, desired, held, false);
    expect(plan.puts.map((p) => [p.name, p.ttl])).toEqual([
      ["a.cf.test", 300],
      ["b.cf.test", 600],
    ]);
    expect(plan.deletes.map((d) => d.id)).toEqual(["id-A-old.cf.test-192.0.2.9"]);
    expect(plan.posts).toEqual([toCloudflare(desired[3] as DnsRecord, Z)]);
    const full = planChanges(Z, desired, held, true);
    expect(full.deletes.map((d) => d.id)).toEqual([
      "id-A-old.cf.test-192.0.2.9",
      "id-A-hand.cf.test-192.0.2.8",
    ]);
    expect(batches({ deletes: [], puts: [], posts: Array(401).fill(plan.posts[0]) })).toHaveLength(
      3,
    );
  });
});
