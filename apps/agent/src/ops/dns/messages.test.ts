// A DNS server's complaints mapped back to records: by line, by RRset, by target, by owner.
import { checkZone } from "@steward/contracts/dns";
import { describe, expect, it } from "vitest";
import { explain, locate } from "./messages.ts";

const zone = "example.com";
const records =
  checkZone(zone, [
    { name: "@", type: "NS", value: "ns1" },
    { name: "ns1", type: "A", value: "192.0.2.1" },
    { name: "www", type: "CNAME", value: "web.example.net." },
  ]).records ?? [];

describe("locating a server's message", () => {
  it("by the zone file's line", () => {
    const at = new Map([[5, 1]]);
    expect(locate("/x/example.com.zone:5: bad dotted quad", zone, records, at).records).toEqual([
      1,
    ]);
  });
  it("by PowerDNS's RRset name and type", () => {
    const m = "RRset www.example.com. IN CNAME: Conflicts with pre-existing RRset";
    expect(locate(m, zone, records).records).toEqual([2]);
  });
  it("by a quoted target, then by an owner", () => {
    const ns = "zone example.com/IN: NS 'ns1.example.com' has no address records (A or AAAA)";
    expect(locate(ns, zone, records).records).toEqual([0]);
    const owner = "zone example.com/IN: www.example.com: CNAME and other data";
    expect(locate(owner, zone, records).records).toEqual([2]);
  });
  it("says which record and keeps the message", () => {
    const m = "RRset www.example.com. IN CNAME: Conflicts";
    expect(explain([locate(m, zone, records)], records)).toBe(
      `record 2 (www CNAME web.example.net.): ${m}`,
    );
    expect(explain([locate("zone-wide problem", zone, records)], records)).toBe(
      "zone-wide problem",
    );
  });
});
