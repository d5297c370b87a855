// The hostile values of hostile-input.test.ts for the CMS sites API (issue 17): addresses that
// are no site's (other schemes, user info, 2 KB, the panel itself, loopback, link-local,
// private), user names and application passwords with quotes, backticks and NULs, time zones
// that are none, extension slugs that climb (`../x`), bad ids. All refused with a 4xx naming
// the field before anything is written or any request leaves the panel.
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

/** ids a hosted link refuses before looking anything up */
const LINK_IDS = [SQL[0], "../x", "a`b", "a\u0000b", "a\nb", LONG, 5, ""];

export function cmsCases(account: string): Case[] {
  const list = "/api/v1/cms-sites";
  const add = {
    account,
    name: "blog",
    url: "https://blog.example.com",
    username: "admin",
    applicationPassword: "abcd efgh ijkl mnop qrst uvwx",
  };
  const one = `${list}/cms_missing`;
  return [
    ...bodyCases("POST", list, add),
    ...fieldCases("POST", list, add, "account", [SQL[0], "../x", null]),
    ["POST", list, { ...add, account: "acc_missing" }, 400, V, "account"],
    ...fieldCases("POST", list, add, "name", ["", "x".repeat(64), ...CONTROL, 5, null]),
    ...fieldCases("POST", list, add, "kind", ["joomla'", "drupal", 1]),
    ...fieldCases("POST", list, add, "url", [
      "file:///etc/passwd",
      "ftp://blog.example.com",
      "javascript:alert(1)",
      "https://user:pw@blog.example.com",
      "http://2130706433/",
      `https://blog.example.com/${"x".repeat(2100)}`,
      "https://blog.example.com/?p=1",
      "https://blog.example.com/x\n",
      SQL[0],
      null,
    ]),
    // addresses the outbound policy refuses: the panel's own, loopback, link-local, private
    ...[
      "http://127.0.0.1:8080",
      "http://localhost:8080/api/v1/me",
      "http://[::1]/",
      "http://169.254.169.254/latest/meta-data",
      "http://10.0.0.5/",
      "http://192.168.1.10/",
    ].map((url): Case => ["POST", list, { ...add, url }, 400, V, "url"]),
    ...fieldCases("POST", list, add, "username", [
      "",
      "a`b",
      "a;b",
      "a'--",
      ...CONTROL,
      "x".repeat(61),
      null,
    ]),
    ...fieldCases("POST", list, add, "applicationPassword", [
      "short",
      "abcd efgh ijkl mnop qrst uvw;",
      "abcd`efgh ijkl mnop qrst uvwx",
      SQL[1],
      "abcd efgh ijkl mnop qrst uvw\u0000",
      LONG,
      null,
    ]),
    ...fieldCases("POST", list, add, "timezone", ["Mars/Olympus", "Europe/../../etc", SQL[0], 5]),
    // the hosted link: ids only, both or neither, and none that is not the account's
    ...fieldCases("POST", list, { ...add, backupPlan: "bkp_x" }, "site", LINK_IDS),
    ...fieldCases("POST", list, { ...add, site: "site_x" }, "backupPlan", LINK_IDS),
    ["POST", list, { ...add, site: "site_missing" }, 400, V, "body.backupPlan"],
    ["POST", list, { ...add, site: "site_missing", backupPlan: "bkp_missing" }, 400, V, "site"],
    ...bodyCases("PATCH", one, { site: null, backupPlan: null }),
    ...fieldCases("PATCH", one, { site: "site_x", backupPlan: "bkp_x" }, "site", LINK_IDS),
    ...fieldCases("PATCH", one, { site: "site_x", backupPlan: "bkp_x" }, "backupPlan", LINK_IDS),
    ["PATCH", one, { site: "site_x", backupPlan: null }, 400, V, "body.backupPlan"],
    ["PATCH", one, { site: null, backupPlan: null }, 404, "NOT_FOUND", ""],
    ["GET", list, undefined, 400, V, "querystring.account"],
    ["GET", `${list}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `${list}/${id}`, undefined, 400, V, "params.id"],
      ["POST", `${list}/${id}/diagnose`, undefined, 400, V, "params.id"],
      ["POST", `${list}/${id}/refresh`, undefined, 400, V, "params.id"],
      ["GET", `${list}/${id}/updates`, undefined, 400, V, "params.id"],
      ["POST", `${list}/${id}/update`, { type: "core" }, 400, V, "params.id"],
      ["DELETE", `${list}/${id}`, undefined, 400, V, "params.id"],
      ["PATCH", `${list}/${id}`, { site: null, backupPlan: null }, 400, V, "params.id"],
    ]),
    ...bodyCases("POST", `${one}/update`, { type: "plugin", slug: "akismet/akismet.php" }),
    ...fieldCases("POST", `${one}/update`, { type: "plugin" }, "type", ["module", SQL[0], null]),
    ...fieldCases("POST", `${one}/update`, { type: "plugin" }, "slug", [
      "../x",
      "a/../../x.php",
      "/etc/passwd",
      "akismet/akismet.php; rm -rf /",
      "a`b`",
      "a\u0000b",
      "x".repeat(201),
      "",
    ]),
    ["POST", `${one}/update`, { type: "core", slug: "x" }, 400, V, "body.slug"],
    ["GET", one, undefined, 404, "NOT_FOUND", ""],
    ["POST", `${one}/diagnose`, undefined, 404, "NOT_FOUND", ""],
    ["POST", `${one}/update`, { type: "core" }, 404, "NOT_FOUND", ""],
    ["DELETE", one, undefined, 404, "NOT_FOUND", ""],
  ];
}
