// Every validation rule of a zone's records, one test each: the error names the record's
// index and the field.
import { describe, expect, it } from "vitest";
import { checkZone, nextSerial } from "./zone.ts";

const Z = "example.com";
const NS = { name: "@", type: "NS", value: "ns1.example.net." };
const issuesOf = (records: unknown[]) =>
  checkZone(Z, [NS, ...records]).issues.map((i) => [i.path.join("."), i.message]);
const ok = (records: unknown[]) => {
  const r = checkZone(Z, [NS, ...records]);
  expect(r.issues).toEqual([]);
  return (r.records ?? []).slice(1);
};

describe("record values by type", () => {
  it("canonicalises every type", () => {
    expect(
      ok([
        { name: "www", type: "A", value: "192.0.2.10" },
        { name: "www", type: "AAAA", value: "2001:DB8:0:0::1" },
        { name: "ftp", type: "CNAME", value: "www" },
        { name: "@", type: "MX", value: "10 mail" },
        { name: "_sip._tcp", type: "SRV", value: "10 5 5060 sip.example.net." },
        { name: "@", type: "CAA", value: '0 issue "letsencrypt.org"' },
        { name: "sub", type: "NS", value: "ns.example.org." },
        { name: "10", type: "PTR", value: "host.example.org." },
        { name: "@", type: "TXT", value: 'say "hi"; \\ $ORIGIN evil.' },
      ]).map((r) => `${r.name} ${r.ttl} ${r.type} ${r.value}`),
    ).toEqual([
      "www 3600 A 192.0.2.10",
      "www 3600 AAAA 2001:db8::1",
      "ftp 3600 CNAME www.example.com.",
      "@ 3600 MX 10 mail.example.com.",
      "_sip._tcp 3600 SRV 10 5 5060 sip.example.net.",
      '@ 3600 CAA 0 issue "letsencrypt.org"',
      "sub 3600 NS ns.example.org.",
      "10 3600 PTR host.example.org.",
      '@ 3600 TXT say "hi"; \\ $ORIGIN evil.',
    ]);
  });

  it("refuses an A that is not IPv4 and an AAAA that is not IPv6", () => {
    expect(issuesOf([{ name: "a", type: "A", value: "2001:db8::1" }])).toEqual([
      ["records.1.value", "must be an IPv4 address"],
    ]);
    expect(issuesOf([{ name: "a", type: "A", value: "0177.0.0.1" }])[0]?.[0]).toBe(
      "records.1.value",
    );
    expect(issuesOf([{ name: "a", type: "AAAA", value: "192.0.2.1" }])).toEqual([
      ["records.1.value", "must be an IPv6 address"],
    ]);
  });

  it("refuses a TTL out of bounds", () => {
    expect(issuesOf([{ name: "a", type: "A", value: "192.0.2.1", ttl: 5 }])).toEqual([
      ["records.1.ttl", "must be between 30 and 604800 seconds"],
    ]);
    expect(issuesOf([{ name: "a", type: "A", value: "192.0.2.1", ttl: 10 ** 9 }])[0]?.[0]).toBe(
      "records.1.ttl",
    );
  });

  it("refuses an unknown type", () => {
    expect(issuesOf([{ name: "a", type: "HINFO", value: "x" }])[0]?.[0]).toBe("records.1.type");
  });

  it("refuses MX and NS pointing at an IP address", () => {
    expect(issuesOf([{ name: "@", type: "MX", value: "10 192.0.2.1" }])).toEqual([
      ["records.1.value", "must be a host name, not an IP address"],
    ]);
    expect(issuesOf([{ name: "sub", type: "NS", value: "2001:db8::1" }])).toEqual([
      ["records.1.value", "must be a host name, not an IP address"],
    ]);
  });

  it("refuses a malformed MX and SRV", () => {
    expect(issuesOf([{ name: "@", type: "MX", value: "mail.example.com." }])[0]?.[0]).toBe(
      "records.1.value",
    );
    expect(issuesOf([{ name: "_x._tcp", type: "SRV", value: "1 2 70000 a." }])[0]?.[0]).toBe(
      "records.1.value",
    );
  });

  it("checks CAA flags, tags and values", () => {
    const caa = (value: string) => issuesOf([{ name: "@", type: "CAA", value }]);
    expect(caa('0 issuewild ";"')).toEqual([]);
    expect(caa('0 iodef "mailto:security@example.com"')).toEqual([]);
    expect(caa('1 issue "ca.example"')).toEqual([
      ["records.1.value", "CAA flags must be 0 or 128"],
    ]);
    expect(caa('0 tbs "x"')).toEqual([
      ["records.1.value", "CAA tag must be issue, issuewild or iodef"],
    ]);
    expect(caa('0 iodef "ftp://x"')[0]?.[1]).toMatch(/mailto: or https:/);
    expect(caa('0 issue "a\\" b"')[0]?.[0]).toBe("records.1.value");
  });

  it("checks SPF syntax", () => {
    const spf = (value: string) => issuesOf([{ name: "@", type: "TXT", value }]);
    expect(
      spf(
        "v=spf1 mx a:mail.example.com ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.net ~all",
      ),
    ).toEqual([]);
    expect(spf("v=spf1 redirect=_spf.example.net")).toEqual([]);
    expect(spf("v=spf1 ip4:300.1.1.1 -all")[0]?.[1]).toMatch(/ip4:300.1.1.1 is not an IPv4/);
    expect(spf("v=spf1 includes:x -all")[0]?.[1]).toMatch(/unknown mechanism/);
    expect(spf("v=spf1 -all mx")[0]?.[1]).toBe('SPF: nothing may follow "-all"');
    expect(spf("v=spf1 include: -all")[0]?.[1]).toMatch(/include: needs a domain/);
  });
});

describe("names", () => {
  it("takes relative, absolute and written-out names, and the apex", () => {
    const names = ok(
      ["www", "www.example.com.", "mail.example.com", "@", "", "*.dev", "_dmarc"].map((name) => ({
        name,
        type: "TXT",
        value: name || "empty",
      })),
    ).map((r) => r.name);
    expect(names).toEqual(["www", "www", "mail", "@", "@", "*.dev", "_dmarc"]);
  });

  it("refuses a name outside the zone", () => {
    expect(issuesOf([{ name: "www.example.org.", type: "A", value: "192.0.2.1" }])).toEqual([
      ["records.1.name", "must be inside the zone example.com"],
    ]);
  });

  it("turns an internationalised name into punycode, or says why not", () => {
    expect(ok([{ name: "bücher", type: "A", value: "192.0.2.1" }])[0]?.name).toBe("xn--bcher-kva");
    expect(issuesOf([{ name: "\u212Aelvin", type: "A", value: "192.0.2.1" }])[0]?.[1]).toMatch(
      /IDNA mapping/,
    );
  });

  it("refuses a wildcard that is not the leftmost label", () => {
    expect(issuesOf([{ name: "a.*", type: "A", value: "192.0.2.1" }])[0]?.[0]).toBe(
      "records.1.name",
    );
  });
});

describe("rules between records", () => {
  it("refuses a CNAME at the apex", () => {
    expect(issuesOf([{ name: "@", type: "CNAME", value: "other.example.net." }])).toEqual([
      ["records.1.name", "a CNAME cannot be at the zone's apex (@): use A/AAAA records"],
    ]);
  });

  it("refuses a CNAME beside other records", () => {
    expect(
      issuesOf([
        { name: "www", type: "A", value: "192.0.2.1" },
        { name: "www", type: "CNAME", value: "web.example.net." },
      ]),
    ).toEqual([["records.2.name", "a CNAME cannot be beside other records (record 1)"]]);
  });

  it("refuses MX and NS pointing at a CNAME of the zone", () => {
    expect(
      issuesOf([
        { name: "mail", type: "CNAME", value: "mx.example.net." },
        { name: "@", type: "MX", value: "10 mail" },
        { name: "sub", type: "NS", value: "mail.example.com." },
      ]),
    ).toEqual([
      ["records.2.value", "an MX record must not point at a CNAME"],
      ["records.3.value", "an NS record must not point at a CNAME"],
    ]);
  });

  it("refuses duplicates, also when written differently", () => {
    expect(
      issuesOf([
        { name: "www", type: "AAAA", value: "2001:db8::1" },
        { name: "www.example.com.", type: "AAAA", value: "2001:DB8:0::1" },
      ]),
    ).toEqual([["records.2.value", "duplicates record 1"]]);
  });

  it("wants one TTL per name and type", () => {
    expect(
      issuesOf([
        { name: "www", type: "A", value: "192.0.2.1", ttl: 300 },
        { name: "www", type: "A", value: "192.0.2.2", ttl: 600 },
      ]),
    ).toEqual([["records.2.ttl", "must equal record 1's TTL (one TTL per name and type)"]]);
  });

  it("allows one SPF record per name", () => {
    expect(
      issuesOf([
        { name: "@", type: "TXT", value: "v=spf1 mx -all" },
        { name: "@", type: "TXT", value: "v=spf1 a -all" },
      ]),
    ).toEqual([["records.2.value", "a name has one SPF record at most (record 1)"]]);
  });

  it("wants an NS record at the apex", () => {
    expect(checkZone(Z, [{ name: "www", type: "A", value: "192.0.2.1" }]).issues).toEqual([
      { path: ["records"], message: "a zone needs at least one NS record at @" },
    ]);
  });
});

describe("hostile values", () => {
  const HOSTILE = [
    "www\n$INCLUDE /etc/passwd",
    "$ORIGIN evil.",
    "$GENERATE 1-100 a$ A 1.2.3.4",
    'a"b',
    "a;b",
    "a\\b",
    "a b",
    "a\u0000b",
    "(a",
  ];
  it("refuses them in names and targets, at the field", () => {
    for (const bad of HOSTILE) {
      expect(issuesOf([{ name: bad, type: "A", value: "192.0.2.1" }])[0]?.[0], bad).toBe(
        "records.1.name",
      );
      expect(issuesOf([{ name: "x", type: "CNAME", value: bad }])[0]?.[0], bad).toBe(
        "records.1.value",
      );
      expect(issuesOf([{ name: "@", type: "MX", value: `10 ${bad}` }])[0]?.[0], bad).toBe(
        "records.1.value",
      );
    }
  });

  it("refuses NUL, newlines and oversized TXT; keeps quotes and semicolons as text", () => {
    for (const bad of ["a\nb", "a\rb", "a\u0000b", "x".repeat(4001), "a\u001bb"])
      expect(issuesOf([{ name: "t", type: "TXT", value: bad }])[0]?.[0]).toBe("records.1.value");
    expect(ok([{ name: "t", type: "TXT", value: 'a"b;c\\d $INCLUDE x' }])[0]?.value).toBe(
      'a"b;c\\d $INCLUDE x',
    );
  });
});

describe("serials", () => {
  const day = new Date("2026-12-05T12:00:00Z");
  it("moves to today's first serial, else counts up", () => {
    expect(nextSerial(0, day)).toBe(2026120500);
    expect(nextSerial(2026120400, day)).toBe(2026120500);
    expect(nextSerial(2026120500, day)).toBe(2026120501);
    expect(nextSerial(2026129999, day)).toBe(2026130000);
  });
});
