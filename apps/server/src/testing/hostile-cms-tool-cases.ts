// The hostile values of hostile-input.test.ts for the tools on a CMS site (issue 17): Joomla API
// tokens with quotes and NULs, IPs that are not canonical addresses (octal, short, zones,
// commands after them), expiry times in the past or far ahead, backup profiles that are not
// numbers, record and scan numbers that are not positive integers. All refused with a 400 naming
// the field before anything is written or any request leaves the panel.
import { CONTROL, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function cmsToolCases(account: string): Case[] {
  const list = "/api/v1/cms-sites";
  const one = `${list}/cms_missing`;
  const joomla = {
    account,
    name: "portal",
    kind: "joomla",
    url: "https://portal.example.com",
    username: "admin",
    apiToken: "c2hhMjU2OjQyOjBmZDlmZTg2YWJjZGVmMDEy",
  };
  const later = new Date(Date.now() + 3_600_000).toISOString();
  return [
    ...fieldCases("POST", list, joomla, "apiToken", [
      "tok'en-abcdefghijklmnopqrst",
      "a;b",
      SQL[1],
      ...CONTROL,
      LONG,
      "short",
      null,
    ]),
    ["POST", list, { ...joomla, apiToken: undefined }, 400, V, "body.apiToken"],
    ...["a'--", "../x", "a\u0000b", "x".repeat(201), "/etc/passwd"].map(
      (slug): Case => [
        "GET",
        `/api/v1/cms-extensions?slug=${encodeURIComponent(slug)}`,
        undefined,
        400,
        V,
        "querystring.slug",
      ],
    ),
    [
      "GET",
      `/api/v1/cms-extensions?account=${encodeURIComponent(SQL[0])}`,
      undefined,
      400,
      V,
      "querystring.account",
    ],
    ["GET", "/api/v1/cms-extensions?outdated=yes", undefined, 400, V, "querystring.outdated"],
    ["GET", "/api/v1/cms-extensions?abandoned=1';--", undefined, 400, V, "querystring.abandoned"],
    ["GET", "/api/v1/cms-extensions?cursor=%27", undefined, 400, V, "querystring.cursor"],
    ...bodyCases("POST", `${list}/refresh`, { account }),
    ...fieldCases("POST", `${list}/refresh`, { account }, "account", [SQL[0], "../x", "", null]),
    ...bodyCases("POST", `${one}/unblock`, { ip: "203.0.113.9" }),
    ...fieldCases("POST", `${one}/unblock`, { ip: "203.0.113.9" }, "ip", [
      "1.2.3",
      "0177.0.0.1",
      "2130706433",
      "203.0.113.9; rm -rf /",
      "::1%eth0",
      "a`b`",
      SQL[0],
      ...CONTROL,
      "x".repeat(200),
      "",
      null,
    ]),
    ...bodyCases("POST", `${one}/temporary-admin`, { expiresAt: later }),
    ...fieldCases("POST", `${one}/temporary-admin`, { expiresAt: later }, "expiresAt", [
      "tomorrow",
      "2020-01-01T00:00:00Z",
      "2999-01-01T00:00:00Z",
      SQL[0],
      "a\u0000b",
      null,
    ]),
    ...fieldCases("POST", `${one}/firewall`, { enabled: true }, "enabled", ["yes", 1, null]),
    ...fieldCases("POST", `${one}/backups`, { profile: 1 }, "profile", [
      "1",
      0,
      -1,
      1.5,
      SQL[0],
      10_000_000,
    ]),
    ...fieldCases("POST", `${one}/backups`, { profile: 1 }, "description", [
      "",
      ...CONTROL,
      "x".repeat(256),
    ]),
    ...["0", "-1", "1;2", "a..b", "99999999999", "1e3"].flatMap((n): Case[] => [
      ["GET", `${one}/scans/${encodeURIComponent(n)}`, undefined, 400, V, "params.scan"],
      [
        "DELETE",
        `${one}/backups/${encodeURIComponent(n)}/files`,
        undefined,
        400,
        V,
        "params.record",
      ],
      ["GET", `${one}/scan-alerts/${encodeURIComponent(n)}`, undefined, 400, V, "params.alert"],
      ["DELETE", `${one}/backups/${encodeURIComponent(n)}`, undefined, 400, V, "params.record"],
      [
        "GET",
        `${one}/backups/${encodeURIComponent(n)}/download`,
        undefined,
        400,
        V,
        "params.record",
      ],
    ]),
    ["GET", `${one}/scans?offset=-1`, undefined, 400, V, "querystring.offset"],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["POST", `${list}/${id}/scan`, undefined, 400, V, "params.id"],
      ["GET", `${list}/${id}/backups`, undefined, 400, V, "params.id"],
      ["POST", `${list}/${id}/unblock`, { ip: "203.0.113.9" }, 400, V, "params.id"],
    ]),
    ["POST", `${one}/unblock`, { ip: "203.0.113.9" }, 404, "NOT_FOUND", ""],
    ["POST", `${one}/scan`, undefined, 404, "NOT_FOUND", ""],
    ["GET", `${one}/backups`, undefined, 404, "NOT_FOUND", ""],
  ];
}
