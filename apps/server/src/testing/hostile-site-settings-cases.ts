// The hostile values of hostile-input.test.ts for a site's directory protection and PHP
// settings: paths that would break out of an nginx location or leave the site, user names that
// would break an htpasswd line, passwords bcrypt would cut, php.ini keys off the allow-list and
// values that would break a pool file. All refused with a 400 naming the field, nothing stored.
import { CONTROL, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, V } from "./hostile-cases.ts";

/** Paths a protected location must never take. */
export const BAD_PROTECTED_PATHS = [
  "",
  "/",
  "admin",
  "/../etc",
  "/a/../../etc",
  "/a/./b",
  "/.git",
  "/a b",
  "/a;deny all",
  "/a{b}",
  "/a}",
  "/a'b",
  '/a"b',
  "/a`id`",
  "/$uri",
  "/a#b",
  "/a%2e%2e",
  "/a\\b",
  "//",
  `/${"a".repeat(255)}`,
  ...CONTROL.map((c) => `/${c}`),
  ...SQL,
];

/** Basic-auth user names that would break an htpasswd line or read as another user. */
export const BAD_HT_USERS = [
  "",
  "ev:il",
  "a b",
  "-x",
  ".x",
  "x\nroot:$2y$",
  "a\u0000b",
  LONG,
  ...SQL,
];

export function siteSettingsCases(site: string): Case[] {
  const protection = `/api/v1/sites/${site}/protection`;
  const php = `/api/v1/sites/${site}/php`;
  const valid = {
    paths: [{ path: "/private", users: [{ name: "alice", password: "long-enough-1" }] }],
  };
  const withPath = (path: unknown): Case => [
    "PUT",
    protection,
    { paths: [{ path, users: [{ name: "alice", password: "long-enough-1" }] }] },
    400,
    V,
    "body.paths.0.path",
  ];
  const withUser = (user: Record<string, unknown>, field: string): Case => [
    "PUT",
    protection,
    { paths: [{ path: "/private", users: [user] }] },
    400,
    V,
    `body.paths.0.users.0.${field}`,
  ];
  const setting = (settings: unknown, field: string): Case => [
    "PUT",
    php,
    { settings },
    400,
    V,
    field,
  ];
  return [
    ...bodyCases("PUT", protection, valid),
    ...BAD_PROTECTED_PATHS.map(withPath),
    ...BAD_HT_USERS.map((name) => withUser({ name, password: "long-enough-1" }, "name")),
    withUser({ name: "alice", password: "short" }, "password"),
    withUser({ name: "alice", password: "x".repeat(73) }, "password"),
    withUser({ name: "alice", password: "é".repeat(40) }, "password"),
    withUser({ name: "alice", password: "long-enough\u0000" }, "password"),
    withUser({ name: "alice", password: 12345678901 }, "password"),
    ["PUT", protection, { paths: [valid.paths[0], valid.paths[0]] }, 400, V, "body.paths"],
    [
      "PUT",
      protection,
      { paths: [{ path: "/p", users: [{ name: "a", password: "long-enough-1" }, { name: "a" }] }] },
      400,
      V,
      "body.paths.0.users",
    ],
    ["PUT", protection, { paths: [{ path: "/p", users: [] }] }, 400, V, "body.paths.0.users"],
    [
      "PUT",
      protection,
      { paths: Array.from({ length: 21 }, (_, i) => ({ path: `/p${i}`, users: [{ name: "a" }] })) },
      400,
      V,
      "body.paths",
    ],
    // a user new to the path must come with a password
    [
      "PUT",
      protection,
      { paths: [{ path: "/p", users: [{ name: "bob" }] }] },
      400,
      V,
      "paths.0.users.0.password",
    ],
    ...bodyCases("PUT", php, { settings: {} }),
    setting({ auto_prepend_file: "/etc/passwd" }, "body.settings.auto_prepend_file"),
    setting({ disable_functions: "" }, "body.settings.disable_functions"),
    setting({ open_basedir: "/" }, "body.settings.open_basedir"),
    setting({ memory_limit: "128M; evil" }, "body.settings.memory_limit"),
    setting({ memory_limit: "128M\nopen_basedir=/" }, "body.settings.memory_limit"),
    setting({ memory_limit: "-1" }, "body.settings.memory_limit"),
    setting({ memory_limit: 128 }, "body.settings.memory_limit"),
    setting({ upload_max_filesize: "1T" }, "body.settings.upload_max_filesize"),
    setting({ max_execution_time: -5 }, "body.settings.max_execution_time"),
    setting({ max_execution_time: 1.5 }, "body.settings.max_execution_time"),
    setting({ max_execution_time: "30" }, "body.settings.max_execution_time"),
    setting({ max_input_vars: 0 }, "body.settings.max_input_vars"),
    setting({ display_errors: "on" }, "body.settings.display_errors"),
    setting({ "date.timezone": "Mars/Olympus" }, "body.settings.date.timezone"),
    setting({ "date.timezone": "../../etc/passwd" }, "body.settings.date.timezone"),
    setting({ "date.timezone": SQL[0] }, "body.settings.date.timezone"),
    // the hostile-input site is a static one: PHP settings are for PHP sites
    ["PUT", php, { settings: { memory_limit: "256M" } }, 400, V, "kind"],
    ...badIds.map(
      (id): Case => ["GET", `/api/v1/sites/${id}/protection`, undefined, 400, V, "params.id"],
    ),
    ...badIds.map(
      (id): Case => ["PUT", `/api/v1/sites/${id}/protection`, valid, 400, V, "params.id"],
    ),
    ...badIds.map((id): Case => ["GET", `/api/v1/sites/${id}/php`, undefined, 400, V, "params.id"]),
    ...badIds.map(
      (id): Case => ["PUT", `/api/v1/sites/${id}/php`, { settings: {} }, 400, V, "params.id"],
    ),
  ];
}
