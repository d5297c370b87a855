// The hostile values of hostile-input.test.ts for the system users API (issue 19): names the
// system reserves (root, daemon, www-data), 33 characters, a leading dot, dash or digit,
// uppercase, quotes and NULs; homes that climb (`..`) or are absolute; SSH keys with options
// or newlines; passwords with newlines; disk quotas that are negative, fractional, past 16 TiB
// or strings (a number in a string, shell and setquota argv); bad ids (a user's, an account's for its disk usage)
// and confirmations. All refused with a 4xx
// naming the field before anything is written or any task is queued.
import { BAD_HOME_PATHS, BAD_SSH_KEYS, BAD_SYS_USER_NAMES } from "@steward/contracts/testing";
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

const BAD_QUOTAS = [
  -1,
  1.5,
  16_777_217,
  Number.MAX_SAFE_INTEGER,
  "100",
  "1; rm -rf /",
  "0 0 0 0 /",
  "1`id`",
  ...SQL,
  ...CONTROL,
  LONG,
  true,
  [],
  {},
];

export function sysUserCases(account: string, node: string): Case[] {
  const list = "/api/v1/system-users";
  const main = { kind: "main", account, node, name: "shop", shell: "sftp" };
  const add = { ...main, kind: "secondary", name: "alice", home: "team/alice" };
  const ftps = `/api/v1/nodes/${node}/ftp-certificate`;
  return [
    ...bodyCases("POST", list, add),
    ...fieldCases("POST", list, add, "account", [SQL[0], "../x", null]),
    ["POST", list, { ...add, account: "acc_missing" }, 400, V, "account"],
    ...fieldCases("POST", list, add, "node", [SQL[0], "../x", null]),
    ...fieldCases("POST", list, add, "name", [...BAD_SYS_USER_NAMES, ...SQL, 5, null]),
    ...fieldCases("POST", list, main, "name", ["a".repeat(29), "Shop", "www-data"]),
    ...fieldCases("POST", list, add, "home", [...BAD_HOME_PATHS, ...SQL, null]),
    ...fieldCases("POST", list, add, "shell", ["bash", "/bin/sh", "sftp;id", null]),
    ...fieldCases("POST", list, add, "ftp", ["yes", 1]),
    ...fieldCases("POST", list, add, "password", [
      "short",
      "newline\nin-password",
      ...CONTROL.map((c) => `password-${c}`),
      "x".repeat(129),
    ]),
    ...fieldCases("POST", list, main, "quotaMb", BAD_QUOTAS),
    ...BAD_SSH_KEYS.map(
      (key): Case => ["POST", list, { ...add, keys: [key] }, 400, V, "body.keys.0"],
    ),
    ["POST", list, { ...add, keys: "ssh-ed25519 AAAA" }, 400, V, "body.keys"],
    // FTP logs in with a password only
    ["POST", list, { ...add, ftp: true }, 400, V, "password"],
    ["GET", list, undefined, 400, V, "querystring.account"],
    ["GET", `${list}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `${list}/${id}`, undefined, 400, V, "params.id"],
      ["PATCH", `${list}/${id}`, { shell: "none" }, 400, V, "params.id"],
      ["DELETE", `${list}/${id}?confirm=x`, undefined, 400, V, "params.id"],
    ]),
    // an account's disk usage: its id only (another's or a missing one: not found)
    ...badIds.map(
      (id): Case => ["GET", `/api/v1/accounts/${id}/disk-usage`, undefined, 400, V, "params.id"],
    ),
    ["GET", "/api/v1/accounts/acc_missing/disk-usage", undefined, 404, "NOT_FOUND", ""],
    ["PATCH", `${list}/sysu_missing`, {}, 400, V, "body"],
    ["PATCH", `${list}/sysu_missing`, { keys: [BAD_SSH_KEYS[0]] }, 400, V, "body.keys.0"],
    ["PATCH", `${list}/sysu_missing`, { password: "x\ny-long-enough" }, 400, V, "body.password"],
    ["PATCH", `${list}/sysu_missing`, { shell: "bash" }, 400, V, "body.shell"],
    ...fieldCases("PATCH", `${list}/sysu_missing`, {}, "quotaMb", BAD_QUOTAS),
    ["DELETE", `${list}/sysu_missing`, undefined, 400, V, "querystring.confirm"],
    [
      "DELETE",
      `${list}/sysu_missing?confirm=x&deleteFiles=yes`,
      undefined,
      400,
      V,
      "querystring.deleteFiles",
    ],
    // the node's FTPS certificate: a site id (on that node) or null
    ...bodyCases("PUT", ftps, { site: null }),
    ...fieldCases("PUT", ftps, {}, "site", [
      ...SQL,
      ...CONTROL,
      "../x",
      "site;reboot",
      "site`id`",
      LONG,
      "",
      5,
    ]),
    ["PUT", ftps, {}, 400, V, "body.site"],
    ["PUT", ftps, { site: "site_missing" }, 400, V, "body.site"],
    ["PUT", "/api/v1/nodes/node_missing/ftp-certificate", { site: null }, 404, "NOT_FOUND", ""],
    ["GET", "/api/v1/nodes/node_missing/ftp-certificate", undefined, 404, "NOT_FOUND", ""],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `/api/v1/nodes/${id}/ftp-certificate`, undefined, 400, V, "params.id"],
      ["PUT", `/api/v1/nodes/${id}/ftp-certificate`, { site: null }, 400, V, "params.id"],
    ]),
  ];
}
