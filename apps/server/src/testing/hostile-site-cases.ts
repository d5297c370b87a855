// The hostile values of hostile-input.test.ts for the sites API: names that would break out
// of an nginx configuration or a shell, roots that leave the site's home, upstreams that are
// not http(s)://host:port, and upstreams the node's outbound policy refuses (loopback, private,
// link-local... in every spelling). All refused with a 4xx naming the field, before anything
// is written.
import { BAD_DOMAIN_NAMES } from "@steward/contracts/testing";
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
export const BAD_DOMAINS = [...BAD_DOMAIN_NAMES, LONG, ...SQL];

/** PHP versions refused before anything is stored (a version the node lacks: layout-api.test.ts). */
const BAD_PHP_VERSIONS = [
  "8",
  "8.2.1",
  "../8.2",
  "8.2;id",
  "8.2\n",
  "8.2\u0000",
  "php8.2",
  "`id`",
  "x".repeat(200),
  ...SQL,
];

/** Writable directories refused before anything is stored (links: writable.test.ts). */
const BAD_WRITABLE_DIRS = [
  "../x",
  "wp-content/../../etc",
  "/etc",
  "./uploads",
  "uploads/.",
  "a//b",
  "wp-content/",
  "a\\b",
  "",
  ".",
  "a;b",
  "a b",
  "`id`",
  "$HOME",
  "uploads{",
  "x".repeat(201),
  ...CONTROL,
  ...SQL,
];

/** Upstreams a node refuses by default, and what the refusal says. */
export const BAD_UPSTREAMS: [string, string][] = [
  ["http://127.0.0.1:3001", "127.0.0.1 is a loopback address, which this node does not allow"],
  // the panel's public URL here is http://localhost:8080
  [
    "http://127.0.0.1:8080",
    "127.0.0.1 is the panel's own address and port, which are never allowed",
  ],
  // the node's agent URL is https://10.0.0.3:7443
  ["http://10.0.0.3:7443", "10.0.0.3 is the agent's own address and port"],
  ["http://127.9.9.9:80", "a loopback address"],
  ["http://[::1]:80", "::1 is a loopback address"],
  ["http://localhost:3000", "localhost resolves to 127.0.0.1, a loopback address"],
  ["http://LocalHost.:3000", "localhost resolves to 127.0.0.1"],
  ["http://admin.localhost:3000", "admin.localhost resolves to 127.0.0.1"],
  ["http://0.0.0.0:8080", "an unspecified address (this machine), which is never allowed"],
  ["http://[::]:8080", "an unspecified address"],
  ["http://169.254.169.254:80", "169.254.169.254 is a link-local address"],
  ["http://[fe80::1]:80", "a link-local address"],
  ["http://10.0.0.5:80", "a private address"],
  ["http://172.16.3.4:80", "a private address"],
  ["http://192.168.0.1:80", "a private address"],
  ["http://100.64.0.1:80", "a private address"],
  ["http://[fd00::1]:80", "a private address"],
  ["http://224.0.0.1:80", "a multicast address"],
  ["http://255.255.255.255:80", "a broadcast address"],
  ["http://240.0.0.1:80", "a reserved address"],
  ["http://[::7f00:1]:80", "a reserved address"],
  ["http://[64:ff9b::a9fe:a9fe]:80", "a reserved address"],
];

export function siteCases(w: World, t: HostileSites): Case[] {
  void w;
  const create = { node: t.node, domains: ["hostile-ok.example.com"], kind: "static" };
  const proxy = {
    node: t.node,
    domains: ["proxy-ok.example.com"],
    kind: "proxy",
    upstream: "http://93.184.216.34:8080",
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
      // spellings a resolver reads as 127.0.0.1
      "http://2130706433:80",
      "http://0x7f.1:80",
      "http://0x7f000001:80",
      "http://0177.0.0.1:80",
      "http://127.1:80",
      "http://[::ffff:127.0.0.1]:80",
      "http://[::ffff:7f00:1]:80",
      "http://[:::1]:80",
    ]),
    // refused by the node's outbound policy (the trusted node allows nothing more)
    ...BAD_UPSTREAMS.map(
      ([u, why]): Case => [
        "POST",
        "/api/v1/sites",
        { ...proxy, upstream: u },
        400,
        V,
        "upstream",
        why,
      ],
    ),
    post({ ...create, upstream: "http://127.0.0.1:8080" }, "body.upstream"),
    post({ ...create, kind: "proxy" }, "body.upstream"),
    ...fieldCases("POST", "/api/v1/sites", create, "node", [...SQL, "../x", "a b", "x".repeat(65)]),
    ...fieldCases("POST", "/api/v1/sites", create, "redirect", ["yes", "www", ...SQL]),
    ...fieldCases("POST", "/api/v1/sites", create, "account", [...SQL, "a\nb"]),
    // a PHP version: Debian's "8.2" form only (it names a binary and a directory on the node)
    ...fieldCases(
      "POST",
      "/api/v1/sites",
      { ...create, kind: "php" },
      "phpVersion",
      BAD_PHP_VERSIONS,
    ),
    ...BAD_PHP_VERSIONS.map(
      (v): Case => ["PATCH", one, { phpVersion: v }, 400, V, "body.phpVersion"],
    ),
    // writable directories: plain relative paths of the document root, at most 20, each once
    ...BAD_WRITABLE_DIRS.map((d) =>
      post({ ...create, kind: "php", writableDirs: ["uploads", d] }, "body.writableDirs.1"),
    ),
    ...fieldCases("POST", "/api/v1/sites", { ...create, kind: "php" }, "writableDirs", [
      "uploads",
      ["uploads", "uploads"],
      ["wp-content", "wp-content/uploads"],
      Array.from({ length: 21 }, (_, i) => `d${i}`),
      null,
    ]),
    post({ ...create, writableDirs: ["uploads"] }, "body.writableDirs"),
    ...BAD_WRITABLE_DIRS.slice(0, 8).map(
      (d): Case => ["PATCH", one, { writableDirs: [d] }, 400, V, "body.writableDirs.0"],
    ),
    // the target site is a static one
    ["PATCH", one, { writableDirs: ["wp-content/uploads"] }, 400, V, "writableDirs"],
    ...bodyCases("PATCH", one, { aliases: [] }),
    ...BAD_DOMAINS.slice(0, 12).map(
      (d): Case => ["PATCH", one, { domains: [d] }, 400, V, "body.domains.0"],
    ),
    ["PATCH", one, { root: "../../etc" }, 400, V, "body.root"],
    ["PATCH", one, { upstream: "gopher://x:70" }, 400, V, "body.upstream"],
    ...BAD_UPSTREAMS.slice(0, 6).map(
      ([u, why]): Case => ["PATCH", one, { kind: "proxy", upstream: u }, 400, V, "upstream", why],
    ),
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
    ...badIds.map(
      (id): Case => ["POST", `/api/v1/sites/${id}/retry`, undefined, 400, V, "params.id"],
    ),
    ["POST", "/api/v1/sites/site_missing/retry", undefined, 404, "NOT_FOUND", ""],
    ...badIds.map(
      (id): Case => ["POST", `/api/v1/sites/${id}/migrate-layout`, undefined, 400, V, "params.id"],
    ),
    ["POST", "/api/v1/sites/site_missing/migrate-layout", undefined, 404, "NOT_FOUND", ""],
    ["DELETE", `${one}?keepFiles=maybe`, undefined, 400, V, "querystring.keepFiles"],
    ...badPages.map(
      ([q, field]): Case => ["GET", `/api/v1/sites?${q}`, undefined, 400, V, field ?? ""],
    ),
    ["GET", `/api/v1/sites?status=${enc("up")}`, undefined, 400, V, "querystring.status"],
    ["GET", `/api/v1/sites?node=${enc(SQL[0])}`, undefined, 400, V, "querystring.node"],
    ["GET", `/api/v1/sites?q=${enc("a\nb")}`, undefined, 400, V, "querystring.q"],
  ];
}
