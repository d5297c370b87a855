// The hostile values of hostile-input.test.ts for the DNS zones API (issue 13). Record values
// are the classic injection point of a zone file: newlines, quotes, semicolons, $ORIGIN,
// $INCLUDE and $GENERATE, oversized TXT, NUL, non-ASCII look-alikes; each is refused naming
// the field (a TXT keeps quotes and semicolons as text: they are escaped when rendered).
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, badPages, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export interface HostileDns {
  /** a trusted node with no agent */
  node: string;
  /** a zone of account A on it, and one of its records */
  zone: string;
  record: string;
  /** another trusted node with no DNS address (dns-hostile.test.ts only) */
  spare?: string;
}

const DIRECTIVES = ["x\n$INCLUDE /etc/passwd", "$ORIGIN evil.", "$GENERATE 1-9 a$ A 1.2.3.4"];
const BAD_NAMES = [
  ...SQL,
  ...CONTROL,
  ...DIRECTIVES,
  'a"b',
  "a;b",
  "a\\b",
  "a b",
  "(a",
  "\u212Aelvin",
  "a.*",
  LONG,
  5,
  null,
];

/**
 * One refusal per DNS route, for hostile-input.test.ts's "every route" check; the full table
 * (dnsCases) runs in modules/dns/dns-hostile.test.ts, beside the module.
 */
export function dnsRouteCases(t: HostileDns): Case[] {
  const Z = "/api/v1/dns/zones";
  const records = `${Z}/${t.zone}/records`;
  return [
    ["POST", Z, { name: "x\n$INCLUDE /etc/passwd", node: t.node }, 400, V, "body.name"],
    ["GET", `${Z}?node=${enc(SQL[0])}`, undefined, 400, V, "querystring.node"],
    ["GET", `${Z}/${enc(SQL[0])}`, undefined, 400, V, "params.id"],
    ["DELETE", `${Z}/${enc(SQL[0])}`, undefined, 400, V, "params.id"],
    ["POST", `${Z}/${enc(SQL[0])}/apply`, undefined, 400, V, "params.id"],
    ["POST", `${Z}/${t.zone}/dnssec`, { enabled: "yes" }, 400, V, "body.enabled"],
    ["GET", `${Z}/${enc(SQL[0])}/records`, undefined, 400, V, "params.id"],
    ["GET", `${Z}/${enc(SQL[0])}/export`, undefined, 400, V, "params.id"],
    ["GET", `${Z}/${enc(SQL[0])}/secondaries`, undefined, 400, V, "params.id"],
    ["POST", `${Z}/${t.zone}/secondaries`, { node: SQL[0] }, 400, V, "body.node"],
    ["DELETE", `${Z}/${t.zone}/secondaries/${enc(SQL[0])}`, undefined, 400, V, "params.nodeId"],
    [
      "POST",
      records,
      { name: "$ORIGIN evil.", type: "A", value: "192.0.2.1" },
      400,
      V,
      "body.name",
    ],
    ["PATCH", `${records}/${t.record}`, { value: "1.2.3.4\n$INCLUDE x" }, 400, V, "body.value"],
    ["DELETE", `${records}/${enc(SQL[0])}`, undefined, 400, V, "params.recordId"],
    [
      "POST",
      `${Z}/${t.zone}/import`,
      { zoneFile: "$INCLUDE /etc/passwd\n" },
      400,
      V,
      "body.zoneFile",
    ],
  ];
}

export function dnsCases(t: HostileDns): Case[] {
  const Z = "/api/v1/dns/zones";
  const create = {
    name: "hostile-zone.example.com",
    node: t.node,
    records: [{ name: "@", type: "NS", value: "ns1.example.net." }],
  };
  const atProvider = { name: "hostile-zone.example.com", provider: "dnsp_missing" };
  const records = `${Z}/${t.zone}/records`;
  const record = { name: "www2", type: "A", value: "192.0.2.1" };
  const one = `${records}/${t.record}`;
  const imports = `${Z}/${t.zone}/import`;
  const secondaries = `${Z}/${t.zone}/secondaries`;
  return [
    // secondaries: the node is an id of a usable node with a DNS address, not the zone's own
    ...bodyCases("POST", secondaries, { node: t.spare }),
    ...fieldCases("POST", secondaries, { node: t.spare }, "node", [...SQL, "a b", LONG, 5, null]),
    ["POST", secondaries, { node: t.node }, 400, V, "body.node", "serves the zone already"],
    ["POST", secondaries, { node: "node_missing" }, 400, V, "body.node", "no node node_missing"],
    ["POST", secondaries, { node: t.spare }, 400, V, "body.node", "has no DNS address"],
    ["DELETE", `${secondaries}/node_missing`, undefined, 404, "NOT_FOUND", ""],
    ["DELETE", `${secondaries}/${t.spare}`, undefined, 404, "NOT_FOUND", ""],
    ...bodyCases("POST", Z, create),
    ...fieldCases("POST", Z, create, "name", [
      ...SQL,
      ...CONTROL,
      "*.example.com",
      "localhost",
      LONG,
      5,
      null,
    ]),
    ...fieldCases("POST", Z, create, "node", [...SQL, "a b", null]),
    // a zone at a DNS provider (Cloudflare): the provider is an id of the zone's account
    ...fieldCases("POST", Z, atProvider, "provider", [...SQL, "a b", LONG, 5, null]),
    ["POST", Z, atProvider, 400, V, "body.provider"],
    ["POST", Z, { ...create, provider: "dnsp_x" }, 400, V, "body.node"],
    ["POST", Z, { ...create, import: true }, 400, V, "body.import"],
    ["POST", Z, { ...atProvider, fullSync: "yes" }, 400, V, "body.fullSync"],
    [
      "POST",
      Z,
      { ...create, records: [{ name: "@", type: "CNAME", value: "x.example.net." }] },
      400,
      V,
      "body.records.0.name",
    ],
    ["POST", Z, { ...create, template: { nameservers: [] } }, 400, V, "body.template.nameservers"],
    ...bodyCases("POST", records, record),
    ...fieldCases("POST", records, record, "name", BAD_NAMES),
    ...fieldCases("POST", records, record, "type", ["SOA", "HINFO", "a", ...SQL, null]),
    ...fieldCases("POST", records, record, "ttl", [0, 29, 604801, 1.5, "60", null]),
    ...fieldCases("POST", records, { ...record, type: "CNAME" }, "value", BAD_NAMES),
    ...fieldCases("POST", records, { ...record, type: "MX" }, "value", [
      "10 192.0.2.1",
      "mail",
      "70000 mail",
      ...DIRECTIVES,
    ]),
    ...fieldCases("POST", records, { ...record, type: "TXT" }, "value", [
      ...CONTROL,
      "x".repeat(4001),
      "v=spf1 ip4:999.1.1.1 -all",
      null,
    ]),
    ...fieldCases("POST", records, { ...record, type: "CAA" }, "value", [
      '0 issue "a\nb"',
      '0 evil "x"',
      '0 issue "a" ; $INCLUDE x',
    ]),
    ...fieldCases("POST", records, record, "value", [
      "2001:db8::1",
      "0177.0.0.1",
      ...SQL,
      ...CONTROL,
    ]),
    ...fieldCases("PATCH", one, {}, "value", ["not-an-ip", ...CONTROL]),
    ...fieldCases("PATCH", one, {}, "name", DIRECTIVES),
    ...bodyCases("POST", imports, { zoneFile: "@ NS ns1.example.net.\n" }),
    [
      "POST",
      imports,
      { zoneFile: "@ NS ns1.example.net.\n$INCLUDE /etc/passwd\n" },
      400,
      V,
      "body.zoneFile",
      "line 2",
    ],
    [
      "POST",
      imports,
      { zoneFile: "@ NS ns1.example.net.\n$GENERATE 1-9 h$ A 192.0.2.$\n" },
      400,
      V,
      "body.zoneFile",
    ],
    [
      "POST",
      imports,
      { zoneFile: '@ NS ns1.example.net.\nx TXT "open\n' },
      400,
      V,
      "body.zoneFile",
    ],
    [
      "POST",
      imports,
      { zoneFile: "@ NS ns1.example.net.\nwww CNAME a.\nwww A 192.0.2.1\n" },
      400,
      V,
      "body.zoneFile",
    ],
    ["POST", imports, { zoneFile: "" }, 400, V, "body.zoneFile"],
    ...bodyCases("POST", `${Z}/${t.zone}/dnssec`, { enabled: false }),
    ...fieldCases("POST", `${Z}/${t.zone}/dnssec`, {}, "enabled", ["on", 1, null, ...SQL]),
    // the target zone is served by BIND (dns-hostile.test.ts): DNSSEC is PowerDNS's only
    [
      "POST",
      `${Z}/${t.zone}/dnssec`,
      { enabled: true },
      400,
      V,
      "body.enabled",
      "this zone is served by bind",
    ],
    ...badIds.flatMap((id): Case[] => [
      ["GET", `${Z}/${id}`, undefined, 400, V, "params.id"],
      ["DELETE", `${Z}/${id}`, undefined, 400, V, "params.id"],
      ["POST", `${Z}/${id}/apply`, undefined, 400, V, "params.id"],
      ["POST", `${Z}/${id}/dnssec`, { enabled: true }, 400, V, "params.id"],
      ["GET", `${Z}/${id}/records`, undefined, 400, V, "params.id"],
      ["GET", `${Z}/${id}/export`, undefined, 400, V, "params.id"],
      ["GET", `${Z}/${id}/secondaries`, undefined, 400, V, "params.id"],
      ["POST", `${Z}/${id}/secondaries`, { node: t.spare }, 400, V, "params.id"],
      ["DELETE", `${secondaries}/${id}`, undefined, 400, V, "params.nodeId"],
      ["DELETE", `${records}/${id}`, undefined, 400, V, "params.recordId"],
    ]),
    ["GET", `${Z}/dnz_missing`, undefined, 404, "NOT_FOUND", ""],
    ["DELETE", `${records}/rec_missing`, undefined, 404, "NOT_FOUND", ""],
    ...badPages.map(([q, field]): Case => ["GET", `${Z}?${q}`, undefined, 400, V, field ?? ""]),
    ["GET", `${Z}?node=${enc(SQL[0])}`, undefined, 400, V, "querystring.node"],
    ["GET", `${Z}?account=${enc(CONTROL[0])}`, undefined, 400, V, "querystring.account"],
  ];
}
