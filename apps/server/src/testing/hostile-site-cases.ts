// The hostile values of hostile-input.test.ts for the sites API: names that would break out
// of an nginx configuration or a shell, roots that leave the site's home, upstreams that are
// not http(s)://host:port. All refused with a 4xx naming the field, before anything is written.
import type { World } from "./fixtures.ts";
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, badPages, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export interface HostileSites {
  /** a trusted node */
  node: string;
  /** an existing site */
  site: string;
}

/** Domain names a site must never accept. */
export const BAD_DOMAINS = [
  "example.com; include /etc/passwd",
  "exa mple.com",
  "example.com{",
  "example.com}",
  'example.com"',
  "example.com'",
  "$host.example.com",
  "`id`.example.com",
  "example.com\nserver_name evil",
  "a\u0000b.com",
  "..example.com",
  "a..b.com",
  ".example.com",
  "-example.com",
  "example-.com",
  "example.com:8080",
  "http://example.com",
  "example.com/path",
  "*.example.com",
  `${"a".repeat(64)}.com`,
  `${Array.from({ length: 40 }, () => "abcdefg").join(".")}.com`,
  "localhost",
  "127.0.0.1",
  "",
  LONG,
  ...SQL,
];

export function siteCases(w: World, t: HostileSites): Case[] {
  void w;
  const create = { node: t.node, domains: ["hostile-ok.example.com"], kind: "static" };
  const proxy = {
    node: t.node,
    domains: ["proxy-ok.example.com"],
    kind: "proxy",
    upstream: "http://127.0.0.1:8080",
  };
  const one = `/api/v1/sites/${t.site}`;
  const post = (body: Record<string, unknown>, field: string): Case => [
    "POST",
    "/api/v1/sites",
    body,
    400,
    V,
    field,
  ];
  return [
    ...bodyCases("POST", "/api/v1/sites", create),
    ...BAD_DOMAINS.map((d) => post({ ...create, domains: [d] }, "body.domains.0")),
    ...BAD_DOMAINS.slice(0, 8).map((d) => post({ ...create, aliases: [d] }, "body.aliases.0")),
    post({ ...create, domains: [] }, "body.domains"),
    post({ ...create, domains: "example.com" }, "body.domains"),
    post(
      { ...create, domains: Array.from({ length: 101 }, (_, i) => `n${i}.example.com`) },
      "body.domains",
    ),
    ...fieldCases("POST", "/api/v1/sites", create, "kind", ["app", "", "STATIC", 1, null, ...SQL]),
    ...fieldCases("POST", "/api/v1/sites", create, "root", [
      "../etc",
      "public/../../etc",
      "/etc/nginx",
      "./public",
      "public//x",
      "pub lic",
      "public;rm",
      "$HOME",
      ...CONTROL,
      LONG,
    ]),
    ...fieldCases("POST", "/api/v1/sites", proxy, "upstream", [
      "127.0.0.1:8080",
      "ftp://127.0.0.1:21",
      "http://127.0.0.1",
      "http://127.0.0.1:8080/path",
      "http://127.0.0.1:99999",
      "http://127.0.0.1:8080; proxy_pass http://evil",
      "http://a b:80",
      "http://127.0.0.1:80\n",
      "unix:/var/run/x.sock",
      LONG,
    ]),
    post({ ...create, upstream: "http://127.0.0.1:8080" }, "body.upstream"),
    post({ ...create, kind: "proxy" }, "body.upstream"),
    ...fieldCases("POST", "/api/v1/sites", create, "node", [...SQL, "../x", "a b", "x".repeat(65)]),
    ...fieldCases("POST", "/api/v1/sites", create, "redirect", ["yes", "www", ...SQL]),
    ...fieldCases("POST", "/api/v1/sites", create, "account", [...SQL, "a\nb"]),
    ...bodyCases("PATCH", one, { aliases: [] }),
    ...BAD_DOMAINS.slice(0, 12).map(
      (d): Case => ["PATCH", one, { domains: [d] }, 400, V, "body.domains.0"],
    ),
    ["PATCH", one, { root: "../../etc" }, 400, V, "body.root"],
    ["PATCH", one, { upstream: "gopher://x:70" }, 400, V, "body.upstream"],
    ...badIds.map((id): Case => ["GET", `/api/v1/sites/${id}`, undefined, 400, V, "params.id"]),
    ...badIds.map(
      (id): Case => ["PATCH", `/api/v1/sites/${id}`, { aliases: [] }, 400, V, "params.id"],
    ),
    ...badIds.map((id): Case => ["DELETE", `/api/v1/sites/${id}`, undefined, 400, V, "params.id"]),
    ...badIds.map(
      (id): Case => ["POST", `/api/v1/sites/${id}/suspend`, undefined, 400, V, "params.id"],
    ),
    ...badIds.map(
      (id): Case => ["POST", `/api/v1/sites/${id}/resume`, undefined, 400, V, "params.id"],
    ),
    ["DELETE", `${one}?keepFiles=maybe`, undefined, 400, V, "querystring.keepFiles"],
    ...badPages.map(
      ([q, field]): Case => ["GET", `/api/v1/sites?${q}`, undefined, 400, V, field ?? ""],
    ),
    ["GET", `/api/v1/sites?status=${enc("up")}`, undefined, 400, V, "querystring.status"],
    ["GET", `/api/v1/sites?node=${enc(SQL[0])}`, undefined, 400, V, "querystring.node"],
    ["GET", `/api/v1/sites?q=${enc("a\nb")}`, undefined, 400, V, "querystring.q"],
  ];
}
