// The hostile values of hostile-input.test.ts for the monitors API: settings of every kind
// that are not what they claim, targets the outbound policy refuses (loopback, link-local,
// private, the panel itself, in every spelling: an account's monitor reaches public addresses
// only), intervals out of range, hostile ids, cursors and filters, heartbeat tokens. All
// refused with a 4xx naming the field, before anything is written.
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, badPages, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";
import { BAD_UPSTREAMS } from "./hostile-site-cases.ts";

/** The targets an account's monitor may not reach, and why (the panel's words). */
const REFUSED = BAD_UPSTREAMS.filter(([url]) => !url.includes(":7443")).map(([url, why]) => [
  url,
  why.replace("this node", "this panel"),
]);

export function monitorCases(monitor: string): Case[] {
  const http = { kind: "http", url: "https://shop.example.com/health" };
  const create = { name: "hostile", settings: http };
  const path = "/api/v1/monitors";
  const one = `${path}/${monitor}`;
  const settings = (s: Record<string, unknown>, field: string, status = 400): Case => [
    "POST",
    path,
    { ...create, settings: s },
    status,
    V,
    field,
  ];
  return [
    ...bodyCases("POST", path, create),
    ...fieldCases("POST", path, create, "name", ["", ...CONTROL, LONG, 5, null]),
    ...fieldCases("POST", path, create, "intervalSeconds", [19, 86_401, 1.5, "60", -1]),
    ...fieldCases("POST", path, create, "retries", [11, -1, "x"]),
    ...fieldCases("POST", path, create, "account", [...SQL, "a\nb"]),
    ...fieldCases("POST", path, create, "installation", ["yes", 1]),
    // where it is checked from, and the quorum (locations.test.ts: nodes of another account)
    ...fieldCases("POST", path, create, "locations", ["panel", [], null, ["panel", "panel"]]),
    ...["../", "a/b", SQL[0], "x".repeat(65)].map(
      (location): Case => [
        "POST",
        path,
        { ...create, locations: [location] },
        400,
        V,
        "body.locations.0",
      ],
    ),
    ...fieldCases("POST", path, create, "quorum", [0, 2, 11, "1", 1.5]),
    settings({ kind: "icmp", host: "x" }, "body.settings.kind"),
    ...["-f", ";", "x.org;reboot", "fe80::1%eth0", "$(id)"].map((host) =>
      settings({ kind: "ping", host }, "body.settings.host"),
    ),
    ...["../x.org", "x.org/../help", "x.org?", `x.${SQL[0]}`].map((domain) =>
      settings({ kind: "rdap", domain }, "body.settings.domain"),
    ),
    ...[
      "ftp://shop.example.com/",
      "javascript:alert(1)",
      "http://user:pw@shop.example.com/",
      "http://2130706433/",
      "http://0x7f.1/",
      "http://0177.0.0.1/",
      "http://127.1/",
      "http://[::ffff:127.0.0.1]/",
      "http://a b/",
      LONG,
    ].map((url) => settings({ ...http, url }, "body.settings.url")),
    settings({ ...http, headers: { Host: "evil" } }, "body.settings.headers.Host"),
    settings({ ...http, headers: { "X-A": "a\r\nX-B: b" } }, "body.settings.headers.X-A"),
    settings({ ...http, method: "TRACE" }, "body.settings.method"),
    settings(
      { ...http, json: { path: "constructor.prototype", equals: "x" } },
      "body.settings.json.path",
    ),
    settings({ kind: "tcp", host: `a;${SQL[1]}`, port: 22 }, "body.settings.host"),
    settings({ kind: "tcp", host: "example.com", port: 0 }, "body.settings.port"),
    settings(
      { kind: "dns", name: "example.com", resolver: "localhost:53" },
      "body.settings.resolver",
    ),
    settings({ kind: "dns", name: `x.${SQL[0]}` }, "body.settings.name"),
    settings({ kind: "tls", host: "example.com", warnDays: -1 }, "body.settings.warnDays"),
    // refused by the outbound policy at input, naming the settings' field
    ...REFUSED.map(
      ([url, why]): Case => [
        "POST",
        path,
        { ...create, settings: { ...http, url } },
        400,
        V,
        "settings.url",
        why,
      ],
    ),
    [
      "POST",
      path,
      { ...create, settings: { kind: "tcp", host: "169.254.169.254", port: 80 } },
      400,
      V,
      "settings.host",
      "a link-local address",
    ],
    [
      "POST",
      path,
      { ...create, settings: { kind: "ping", host: "fe80::1" } },
      400,
      V,
      "settings.host",
      "a link-local address",
    ],
    [
      "POST",
      path,
      { ...create, settings: { kind: "dns", name: "example.com", resolver: "10.0.0.53:53" } },
      400,
      V,
      "settings.resolver",
      "a private address",
    ],
    ...bodyCases("PATCH", one, { name: "renamed" }),
    [
      "PATCH",
      one,
      { settings: { kind: "tcp", host: "example.com", port: 80 } },
      400,
      V,
      "settings.kind",
    ],
    ["PATCH", one, { intervalSeconds: 20, timeoutSeconds: 30 }, 400, V, "body.timeoutSeconds"],
    [
      "PATCH",
      one,
      { maintenance: [{ start: "tomorrow", end: "later" }] },
      400,
      V,
      "body.maintenance.0.start",
    ],
    ...badIds.flatMap((id): Case[] => [
      ["GET", `${path}/${id}`, undefined, 400, V, "params.id"],
      ["PATCH", `${path}/${id}`, { name: "x" }, 400, V, "params.id"],
      ["DELETE", `${path}/${id}`, undefined, 400, V, "params.id"],
      ["GET", `${path}/${id}/results`, undefined, 400, V, "params.id"],
      ["GET", `${path}/${id}/series`, undefined, 400, V, "params.id"],
      ...["check", "pause", "resume"].map(
        (verb): Case => ["POST", `${path}/${id}/${verb}`, undefined, 400, V, "params.id"],
      ),
    ]),
    ["POST", `${path}/mon_missing/pause`, undefined, 404, "NOT_FOUND", ""],
    ...badPages.map(([q, field]): Case => ["GET", `${path}?${q}`, undefined, 400, V, field ?? ""]),
    ["GET", `${path}?state=${enc("sideways")}`, undefined, 400, V, "querystring.state"],
    ["GET", `${path}?kind=${enc(SQL[0])}`, undefined, 400, V, "querystring.kind"],
    ["GET", `${path}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    ["GET", `${path}?q=${"a".repeat(101)}`, undefined, 400, V, "querystring.q"],
    ["GET", `${one}/results?from=yesterday`, undefined, 400, V, "querystring.from"],
    ["GET", `${one}/results?to=${enc(SQL[0])}`, undefined, 400, V, "querystring.to"],
    ["GET", `${one}/results?cursor=abc`, undefined, 400, V, "querystring.cursor"],
    ["GET", `${one}/results?limit=0`, undefined, 400, V, "querystring.limit"],
    ["GET", `${one}/series?range=1y`, undefined, 400, V, "querystring.range"],
    ["GET", `${one}/series?range=${enc(SQL[0])}`, undefined, 400, V, "querystring.range"],
    ["GET", `${one}/series?from=2026-01-01T00:00:00Z`, undefined, 400, V, "querystring.from"],
    ...[enc(SQL[0]), "short", "x".repeat(44)].flatMap((token): Case[] => [
      ["POST", `/api/v1/heartbeat/${token}`, undefined, 400, V, "params.token"],
      ["GET", `/api/v1/heartbeat/${token}`, undefined, 400, V, "params.token"],
    ]),
  ];
}
