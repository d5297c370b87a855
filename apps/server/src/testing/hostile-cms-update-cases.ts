// The hostile values of hostile-input.test.ts for update policies and bulk updates (issue 17):
// levels and types that are none, extension slugs that climb, versions and keywords with
// quotes, `;`, NULs and newlines, windows at impossible times, unknown days, durations out of
// range, a window or keyword on one extension, visual checks that are neither on nor off and
// thresholds out of range, an update's images of a kind that is none, bad ids. Each a 400
// naming the field, nothing written.
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function cmsUpdateCases(account: string): Case[] {
  const path = "/api/v1/update-policies";
  const set = { account, level: "minor" };
  const ext = { account, level: "minor", type: "plugin", slug: "akismet/akismet.php" };
  const window = { start: "05:00", durationMinutes: 120 };
  const bulk = "/api/v1/cms-sites/updates";
  const shots = "/api/v1/cms-sites/cms_x/history/cuh_x/shots";
  const inWindow = (key: string, values: unknown[]): Case[] =>
    values.map((v) => [
      "PUT",
      path,
      { ...set, window: { ...window, [key]: v } },
      400,
      V,
      `body.window.${key}`,
    ]);
  return [
    ...bodyCases("PUT", path, set),
    ...fieldCases("PUT", path, set, "account", [SQL[0], "../x", null]),
    ["PUT", path, { ...set, account: "acc_missing" }, 400, V, "account"],
    ...fieldCases("PUT", path, set, "level", ["all", "MINOR", SQL[0], "", 3, null]),
    ...fieldCases("PUT", path, set, "site", [SQL[0], "../x", "x".repeat(65)]),
    ["PUT", path, { ...set, site: "cms_missing" }, 400, V, "site"],
    ...fieldCases("PUT", path, set, "type", ["module", `plugin'`, 1]),
    ...fieldCases("PUT", path, ext, "slug", [
      "../x",
      "a/../../x.php",
      "/etc/passwd",
      "akismet/akismet.php; rm -rf /",
      "a`b`",
      "a\u0000b",
      "x".repeat(201),
    ]),
    ["PUT", path, { ...set, type: "plugin" }, 400, V, "body.slug"],
    ["PUT", path, { ...set, type: "core", slug: "x" }, 400, V, "body.slug"],
    ...fieldCases("PUT", path, set, "stableOnly", ["yes", 1]),
    ...fieldCases("PUT", path, set, "window", ["05:00", [], 5]),
    ...inWindow("start", ["24:00", "5:00", "05:60", "05:00;", "05:00\n", SQL[0]]),
    ...inWindow("durationMinutes", [0, 29, 1441, 60.5, "60"]),
    ...inWindow("days", [[], ["mon", "mon"], "mon"]),
    [
      "PUT",
      path,
      { ...set, window: { ...window, days: ["funday"] } },
      400,
      V,
      "body.window.days.0",
    ],
    ["PUT", path, { ...ext, window }, 400, V, "body.window"],
    ...fieldCases("PUT", path, set, "keyword", ["", LONG, ...CONTROL, 5]),
    ["PUT", path, { ...ext, keyword: "Welcome" }, 400, V, "body.keyword"],
    ...fieldCases("PUT", path, ext, "skipVersion", [
      "1.0.0'; drop table x; --",
      "1.0`",
      "../1.0",
      "1.0\n",
      "v1.0",
      "x".repeat(65),
      "",
    ]),
    ["PUT", path, { ...set, skipVersion: "1.2.3" }, 400, V, "body.skipVersion"],
    ...fieldCases("PUT", path, set, "visualCheck", ["ON", "yes", true, SQL[0], "on\n", ""]),
    ...fieldCases("PUT", path, set, "visualThreshold", [0, 0.05, 100.5, -1, "5", "5%", true]),
    ["PUT", path, { ...ext, visualCheck: "on" }, 400, V, "body.visualCheck"],
    ["PUT", path, { ...ext, visualThreshold: 5 }, 400, V, "body.visualThreshold"],
    ["GET", path, undefined, 400, V, "querystring.account"],
    ["GET", `${path}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    [
      "GET",
      `${path}?account=${account}&site=${enc("../x")}`,
      undefined,
      400,
      V,
      "querystring.site",
    ],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["DELETE", `${path}/${id}`, undefined, 400, V, "params.id"],
      ["GET", `/api/v1/cms-sites/${id}/policy`, undefined, 400, V, "params.id"],
      ["GET", `/api/v1/cms-sites/${id}/history`, undefined, 400, V, "params.id"],
      ["GET", `/api/v1/cms-sites/${id}/history/cuh_x/shots/diff`, undefined, 400, V, "params.id"],
      [
        "GET",
        `/api/v1/cms-sites/cms_x/history/${id}/shots/diff`,
        undefined,
        400,
        V,
        "params.entry",
      ],
    ]),
    ...["x", "DIFF", "diff;rm", "diff..", "diff%00", enc("diff\n"), "a".repeat(64)].map(
      (kind): Case => ["GET", `${shots}/${kind}`, undefined, 400, V, "params.kind"],
    ),
    // an encoded slash is refused before routing; a segment longer than any identifier too
    ["GET", `${shots}/${enc("../diff")}`, undefined, 400, "BAD_REQUEST", "path"],
    ["GET", `${shots}/${"a".repeat(201)}`, undefined, 400, V, "params"],
    [
      "GET",
      "/api/v1/cms-sites/cms_missing/history/cuh_x/shots/diff",
      undefined,
      404,
      "NOT_FOUND",
      "",
    ],
    ["DELETE", `${path}/cup_missing`, undefined, 404, "NOT_FOUND", ""],
    ["GET", "/api/v1/cms-sites/cms_missing/policy", undefined, 404, "NOT_FOUND", ""],
    ...bodyCases("POST", bulk, { account }),
    ...fieldCases("POST", bulk, { account }, "account", [SQL[0], null]),
    ...fieldCases("POST", bulk, { account }, "sites", [[], "cms_x"]),
    ["POST", bulk, { account, sites: [SQL[0]] }, 400, V, "body.sites.0"],
    ["POST", bulk, { account, sites: ["../x"] }, 400, V, "body.sites.0"],
    ["POST", bulk, { account, sites: ["cms_missing"] }, 400, V, "sites"],
    ...fieldCases("POST", bulk, { account }, "preview", ["no", 0]),
    ...fieldCases("POST", bulk, { account }, "all", ["yes"]),
    ...fieldCases("POST", bulk, { account }, "now", ["yes"]),
  ];
}
