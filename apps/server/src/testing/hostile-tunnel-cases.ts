// The hostile values of hostile-input.test.ts for Cloudflare tunnels (issue 16): hostnames that
// would break out of config.yml's YAML (`a.com\n- service: x`, `a.com: x`, `# x`), wildcards,
// quotes, 200+ characters; ports outside 1-65535 or not integers; account and tunnel ids that
// are not Cloudflare's; tokens that are not tokens; bad ids. None reaches a node or Cloudflare.
import { CONTROL, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

const BAD_HOSTNAMES = [
  "a.example.com\n- service: x",
  "a.example.com: x",
  "a.example.com #x",
  "'a.example.com'",
  "*.example.com",
  "a..example.com",
  "-a.example.com",
  `${"a".repeat(250)}.com`,
  ...SQL,
  ...CONTROL,
  LONG,
  null,
];
const BAD_PORTS = [0, -1, 65536, 1.5, "80; rm -rf /", "http", null];

export function tunnelCases(): Case[] {
  const list = "/api/v1/tunnels";
  const create = {
    node: "nod_x",
    cloudflareAccount: "0123456789abcdef0123456789abcdef",
    tunnelId: "6ff42ae2-765d-4adf-8112-31c55c1551ef",
    zone: "example.com",
    token: "t".repeat(40),
  };
  const routes = `${list}/tun_missing/routes`;
  const route = { hostname: "app.example.com", port: 8080 };
  return [
    ...bodyCases("POST", list, create),
    ...fieldCases("POST", list, create, "node", [SQL[0], "../x", null]),
    ...fieldCases("POST", list, create, "cloudflareAccount", ["0123", "g".repeat(32), SQL[0]]),
    ...fieldCases("POST", list, create, "tunnelId", ["not-a-uuid", SQL[1], "../x"]),
    ...fieldCases("POST", list, create, "zone", BAD_HOSTNAMES),
    ...fieldCases("POST", list, create, "token", ["short", SQL[0], CONTROL[0]]),
    ...bodyCases("POST", routes, route),
    ...fieldCases("POST", routes, route, "hostname", BAD_HOSTNAMES),
    ...fieldCases("POST", routes, route, "port", BAD_PORTS),
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `${list}/${id}`, undefined, 400, V, "params.id"],
      ["DELETE", `${list}/${id}`, undefined, 400, V, "params.id"],
      ["GET", `${list}/${id}/status`, undefined, 400, V, "params.id"],
      ["GET", `${list}/${id}/config`, undefined, 400, V, "params.id"],
      ["GET", `${list}/${id}/routes`, undefined, 400, V, "params.id"],
      ["POST", `${list}/${id}/routes`, route, 400, V, "params.id"],
      ["DELETE", `${list}/tun_x/routes/${id}`, undefined, 400, V, "params.route"],
    ]),
    ["GET", `${list}/tun_missing`, undefined, 404, "NOT_FOUND", ""],
    ["GET", `${list}/tun_missing/status`, undefined, 404, "NOT_FOUND", ""],
    ["GET", `${list}/tun_missing/config`, undefined, 404, "NOT_FOUND", ""],
    ["POST", routes, route, 404, "NOT_FOUND", ""],
    ["DELETE", `${routes}/tunr_missing`, undefined, 404, "NOT_FOUND", ""],
  ];
}
