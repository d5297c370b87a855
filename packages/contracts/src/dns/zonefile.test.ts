// Zone files: rendering (quoting, escaping, TXT split into 255-byte strings), importing
// ($ORIGIN, $TTL, parentheses, comments, escapes; $INCLUDE and $GENERATE refused) and the
// round trip between them.
import { describe, expect, it } from "vitest";
import { parseZoneFile } from "./parse.ts";
import { txtChunks, txtRdata } from "./txt.ts";
import { checkZone } from "./zone.ts";
import { defaultSoa, renderZone } from "./zonefile.ts";

const Z = "example.com";
const TIMERS = { refresh: 3600, retry: 600, expire: 1209600, minimum: 300 };
const records = [
  { name: "@", type: "NS", value: "ns1.example.com." },
  { name: "ns1", type: "A", value: "192.0.2.1" },
  { name: "www", type: "AAAA", value: "2001:db8::1" },
  { name: "@", type: "MX", value: "10 mail.example.net." },
  { name: "@", type: "TXT", value: "v=spf1 mx -all" },
  { name: "quote", type: "TXT", value: 'he said "hi"; \\ then $INCLUDE /etc/passwd' },
  { name: "long", type: "TXT", value: "k=".concat("é".repeat(200)) },
  { name: "@", type: "CAA", value: '0 issue "letsencrypt.org"' },
  { name: "_sip._tcp", type: "SRV", value: "1 2 5060 sip.example.com." },
  { name: "*.dev", type: "CNAME", value: "www.example.com." },
];
const canonical = () => checkZone(Z, records).records ?? [];

describe("TXT character-strings", () => {
  it("splits at 255 bytes without cutting a character", () => {
    const chunks = txtChunks("é".repeat(200));
    expect(chunks.map((c) => c.length)).toEqual([254, 146]);
    expect(txtChunks("a".repeat(600)).map((c) => c.length)).toEqual([255, 255, 90]);
  });

  it("escapes quotes and backslashes, writes other bytes as \\DDD", () => {
    expect(txtRdata('a"b\\c;d')).toBe('"a\\"b\\\\c;d"');
    expect(txtRdata("é")).toBe('"\\195\\169"');
  });
});

describe("rendering", () => {
  it("writes one line per record and knows which line holds which record", () => {
    const zone = canonical();
    const soa = defaultSoa(Z, zone, 2026120501, TIMERS);
    const { text, recordAt } = renderZone(Z, soa, zone);
    const lines = text.split("\n");
    expect(lines.slice(1, 4)).toEqual([
      "$ORIGIN example.com.",
      "$TTL 300",
      "@ 300 IN SOA ns1.example.com. hostmaster.example.com. 2026120501 3600 600 1209600 300",
    ]);
    expect(lines.filter((l) => l.startsWith("$"))).toHaveLength(2);
    for (const [line, index] of recordAt)
      expect(lines[line - 1]?.startsWith(`${zone[index]?.name} `)).toBe(true);
    expect(lines).toContain('quote 3600 IN TXT "he said \\"hi\\"; \\\\ then $INCLUDE /etc/passwd"');
  });
});

describe("importing", () => {
  it("reads the rendered file back to the same records (round trip)", () => {
    const zone = canonical();
    const { text } = renderZone(Z, defaultSoa(Z, zone, 1, TIMERS), zone);
    const parsed = parseZoneFile(text, Z);
    expect(parsed.issues).toEqual([]);
    expect(checkZone(Z, parsed.records).records).toEqual(zone);
  });

  it("follows $ORIGIN and $TTL, parentheses, comments, blank owners and TTL units", () => {
    const text = [
      "$TTL 1h",
      "@ IN SOA ns1 hostmaster ( 1 ; serial",
      "  3600 600 1209600 300 )",
      "  IN NS ns1 ; the apex",
      "ns1 2h IN A 192.0.2.1",
      "$ORIGIN sub.example.com.",
      "www A 192.0.2.2",
      '  TXT "two " "strings\\059 \\"q\\""',
    ].join("\n");
    const parsed = parseZoneFile(text, Z);
    expect(parsed.issues).toEqual([]);
    expect(parsed.records).toEqual([
      { name: "example.com.", type: "NS", ttl: 3600, value: "ns1.example.com." },
      { name: "ns1.example.com.", type: "A", ttl: 7200, value: "192.0.2.1" },
      { name: "www.sub.example.com.", type: "A", ttl: 3600, value: "192.0.2.2" },
      { name: "www.sub.example.com.", type: "TXT", ttl: 3600, value: 'two strings; "q"' },
    ]);
    expect(parsed.lines).toEqual([4, 5, 7, 8]);
  });

  it("refuses $INCLUDE, $GENERATE and unknown types, naming the line", () => {
    const parsed = parseZoneFile(
      ["@ NS ns1", "$INCLUDE /etc/passwd", "$GENERATE 1-9 h$ A 192.0.2.$", "x HINFO a b"].join(
        "\n",
      ),
      Z,
    );
    expect(parsed.issues).toEqual([
      { line: 2, message: "$INCLUDE is not accepted in an imported zone (only $ORIGIN and $TTL)" },
      { line: 3, message: "$GENERATE is not accepted in an imported zone (only $ORIGIN and $TTL)" },
      { line: 4, message: "type HINFO is not supported" },
    ]);
  });

  it("names the line of an unclosed string or parenthesis", () => {
    expect(parseZoneFile('@ NS ns1\nx TXT "open\n', Z).issues).toEqual([
      { line: 2, message: "a quoted string is not closed on its line" },
    ]);
    expect(parseZoneFile("@ SOA ( 1 2\n", Z).issues[0]?.message).toBe("a ( is never closed");
  });

  it("leaves names outside the zone for checkZone to refuse", () => {
    const parsed = parseZoneFile("@ NS ns1\n$ORIGIN example.org.\nwww A 192.0.2.1\n", Z);
    expect(checkZone(Z, parsed.records).issues).toEqual([
      { path: ["records", 1, "name"], message: "must be inside the zone example.com" },
    ]);
  });
});
