// The hostile values of hostile-input.test.ts, endpoint by endpoint: each row says what is
// sent and which status, error code and field the answer must name.
import type { ErrorCode } from "@steward/contracts";
import type { World } from "./fixtures.ts";
import { PASSWORD } from "./harness.ts";
import { badNames, CONTROL, enc, LONG, Raw, SQL } from "./hostile.ts";

/** [method, path, body, status, code, field named ("" when none applies)] */
/** method, path, body, status, code, the field named; and what the message must say, if anything */
export type Case = [string, string, unknown, number, ErrorCode, string, string?];
export const V = "VALIDATION_FAILED";

/** A valid body with one field replaced (or added, for unknown fields). */
export const withField = (base: Record<string, unknown>, key: string, value: unknown) => ({
  ...base,
  [key]: value,
});

/** The same bad value for a field, in every hostile flavour. */
export function fieldCases(
  method: string,
  path: string,
  base: Record<string, unknown>,
  key: string,
  values: unknown[],
): Case[] {
  return values.map((v) => [method, path, withField(base, key, v), 400, V, `body.${key}`]);
}

export const badIds = [...SQL, "a\u0000b", "a b", "x".repeat(65)].map(enc);
export const badPages = ["limit=0", "limit=-1", "limit=100000", "limit=abc", "limit=1.5"]
  .map((q) => [q, "querystring.limit"])
  .concat(
    ["'", '"', enc(SQL[0]), "x".repeat(100)].map((c) => [`cursor=${c}`, "querystring.cursor"]),
    [["foo=1", "querystring.foo"]],
  );

/** Body-level attacks any JSON endpoint must refuse the same way. */
export function bodyCases(method: string, path: string, valid: Record<string, unknown>): Case[] {
  const json = JSON.stringify(valid);
  return [
    [method, path, withField(valid, "surprise", true), 400, V, "body.surprise"],
    [method, path, [valid], 400, V, "body"],
    [method, path, new Raw("application/json", "null"), 400, V, "body"],
    [method, path, new Raw("application/json", json.slice(0, -1)), 400, "BAD_REQUEST", "body"],
    [method, path, new Raw("application/json", ""), 400, "BAD_REQUEST", "body"],
    [
      method,
      path,
      new Raw("application/json", `{"__proto__":{"isSuper":true},${json.slice(1)}`),
      400,
      "BAD_REQUEST",
      "body",
    ],
    [method, path, new Raw("text/plain", json), 415, "UNSUPPORTED_MEDIA_TYPE", "body"],
    [
      method,
      path,
      new Raw("application/x-www-form-urlencoded", "a=1"),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "body",
    ],
    [
      method,
      path,
      new Raw("multipart/form-data; boundary=x", "--x--"),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "body",
    ],
    [
      method,
      path,
      withField(valid, "padding", "x".repeat(1024 * 1024)),
      413,
      "PAYLOAD_TOO_LARGE",
      "body",
    ],
  ];
}

export function cases(w: World): Case[] {
  const user = { email: "new-user@example.com", password: PASSWORD };
  const account = { slug: "new-account", name: "New" };
  const group = { name: "new-group", description: "" };
  const grant = {
    principalType: "user",
    principalId: w.target,
    scopeType: "account",
    scopeId: w.a,
    role: "read",
  };
  const key = { name: "k" };
  const member = { principalId: w.target, role: "read" };
  const out: Case[] = [
    // users
    ...bodyCases("POST", "/api/v1/users", user),
    ...fieldCases("POST", "/api/v1/users", user, "email", [
      ...SQL,
      ...CONTROL.map((c) => `ev${c}il@example.com`),
      "a@example.com\r\nBcc: b@example.com",
      `${LONG}@example.com`,
      42,
      null,
      ["a@example.com"],
      {},
    ]),
    ...fieldCases("POST", "/api/v1/users", user, "password", [
      "a\u0000".repeat(6),
      LONG,
      "short",
      1234567890,
      null,
    ]),
    ...fieldCases("POST", "/api/v1/users", user, "name", [...CONTROL, LONG, "   ", 7, ["n"]]),
    ...fieldCases("POST", "/api/v1/users", user, "super", ["true", 1, null]),
    ["POST", "/api/v1/users", { password: PASSWORD }, 400, V, "body.email"],
    ...bodyCases("PATCH", `/api/v1/users/${w.target}`, { name: "T" }),
    ...fieldCases("PATCH", `/api/v1/users/${w.target}`, {}, "name", [...CONTROL, LONG, 1]),
    ...fieldCases("PATCH", `/api/v1/users/${w.target}`, {}, "disabled", ["yes", 1, null]),
    ["PATCH", `/api/v1/users/${w.target}`, { email: "x@example.com" }, 400, V, "body.email"],
    ...fieldCases("POST", `/api/v1/users/${w.target}/password`, {}, "password", [
      "short",
      LONG,
      "p\u0000ssword123",
      5,
    ]),
    ...fieldCases("POST", `/api/v1/users/${w.target}/reset-2fa`, {}, "passkeys", ["yes", 1]),
    ["POST", `/api/v1/users/${w.target}/reset-2fa`, { x: 1 }, 400, V, "body.x"],
    ...badIds.map((id): Case => ["GET", `/api/v1/users/${id}`, undefined, 400, V, "params.id"]),
    ...badIds.map(
      (id): Case => ["PATCH", `/api/v1/users/${id}`, { name: "x" }, 400, V, "params.id"],
    ),
    ["GET", `/api/v1/users/${"x".repeat(300)}`, undefined, 400, V, "params"],
    ...badIds.map(
      (id): Case => ["DELETE", `/api/v1/users/${id}/github`, undefined, 400, V, "params.id"],
    ),
    // a path that could be read two ways is refused before routing (canonical-path.ts)
    ["GET", `/api/v1/users/${enc("../etc/passwd")}`, undefined, 400, "BAD_REQUEST", "path"],
    ["PATCH", `/api/v1/accounts/${w.a}%2f..`, { name: "x" }, 400, "BAD_REQUEST", "path"],
    ["GET", "/api/v1/users/user_missing", undefined, 404, "NOT_FOUND", ""],
    ["GET", `/api/v1/users?q=${enc(CONTROL[0])}`, undefined, 400, V, "querystring.q"],
    ["GET", `/api/v1/users?q=${LONG}`, undefined, 400, V, "querystring.q"],
    ["GET", "/api/v1/users?disabled=maybe", undefined, 400, V, "querystring.disabled"],
    ["GET", "/api/v1/users?q=a&q=b", undefined, 400, V, "querystring.q"],
    ["GET", "/api/v1/accounts?q[]=a", undefined, 400, V, "querystring.q[]"],
    // accounts
    ...bodyCases("POST", "/api/v1/accounts", account),
    ...fieldCases(
      "POST",
      "/api/v1/accounts",
      account,
      "slug",
      badNames("acme\n", "Acme", "../etc"),
    ),
    ...fieldCases("POST", "/api/v1/accounts", account, "name", [...CONTROL, LONG, "", [], null]),
    ["POST", "/api/v1/accounts", { slug: "acc-a", name: "Twin" }, 409, "CONFLICT", "slug"],
    ...bodyCases("PATCH", `/api/v1/accounts/${w.a}`, { name: "N" }),
    ...fieldCases("PATCH", `/api/v1/accounts/${w.a}`, {}, "name", [...CONTROL, LONG, 9]),
    ["PATCH", `/api/v1/accounts/${w.a}`, { name: "N", slug: "other" }, 400, V, "body.slug"],
    ...badIds.map((id): Case => ["GET", `/api/v1/accounts/${id}`, undefined, 400, V, "params.id"]),
    ...badIds.map(
      (id): Case => ["DELETE", `/api/v1/accounts/${id}`, undefined, 400, V, "params.id"],
    ),
    ["GET", "/api/v1/accounts/acc_missing", undefined, 404, "NOT_FOUND", ""],
    ["GET", `/api/v1/accounts?q=${enc(CONTROL[2])}`, undefined, 400, V, "querystring.q"],
    ...bodyCases("POST", `/api/v1/accounts/${w.a}/members`, member),
    ...fieldCases("POST", `/api/v1/accounts/${w.a}/members`, member, "principalId", [
      ...SQL,
      ...CONTROL,
      LONG,
      3,
    ]),
    ...fieldCases("POST", `/api/v1/accounts/${w.a}/members`, member, "principalType", [
      "robot",
      "USER",
      null,
    ]),
    ...fieldCases("POST", `/api/v1/accounts/${w.a}/members`, member, "role", [
      "none",
      "owner",
      "super",
      3,
    ]),
    [
      "POST",
      `/api/v1/accounts/${w.a}/members`,
      { principalId: "user_missing" },
      400,
      V,
      "principalId",
    ],
    [
      "POST",
      `/api/v1/accounts/${w.a}/members`,
      { principalType: "group", principalId: "super" },
      400,
      V,
      "principalId",
    ],
    [
      "DELETE",
      `/api/v1/accounts/${w.a}/members/robot/${w.target}`,
      undefined,
      400,
      V,
      "params.principalType",
    ],
    ...badIds.map(
      (id): Case => [
        "DELETE",
        `/api/v1/accounts/${w.a}/members/user/${id}`,
        undefined,
        400,
        V,
        "params.principalId",
      ],
    ),
    [
      "DELETE",
      `/api/v1/accounts/${w.a}/members/user/user_missing`,
      undefined,
      404,
      "NOT_FOUND",
      "",
    ],
    // groups
    ...bodyCases("POST", "/api/v1/groups", group),
    ...fieldCases("POST", "/api/v1/groups", group, "name", [...SQL, ...CONTROL, "Admins", LONG, 1]),
    ...fieldCases("POST", "/api/v1/groups", group, "description", [...CONTROL, LONG, 5]),
    ["POST", "/api/v1/groups", { name: "super" }, 409, "CONFLICT", "name"],
    ["POST", "/api/v1/groups", { name: "elite", builtin: true }, 400, V, "body.builtin"],
    ...bodyCases("PATCH", `/api/v1/groups/${w.group}`, { description: "d" }),
    ...fieldCases("PATCH", `/api/v1/groups/${w.group}`, {}, "name", [...SQL, "A B", null]),
    ["PATCH", "/api/v1/groups/super", { name: "root" }, 409, "CONFLICT", ""],
    ["DELETE", "/api/v1/groups/super", undefined, 409, "CONFLICT", ""],
    ...badIds.map((id): Case => ["GET", `/api/v1/groups/${id}`, undefined, 400, V, "params.id"]),
    ...bodyCases("POST", `/api/v1/groups/${w.group}/members`, { userId: w.target }),
    ...fieldCases("POST", `/api/v1/groups/${w.group}/members`, {}, "userId", [
      ...SQL,
      ...CONTROL,
      5,
      null,
    ]),
    ["POST", `/api/v1/groups/${w.group}/members`, { userId: "user_missing" }, 400, V, "userId"],
    ...badIds.map(
      (id): Case => [
        "DELETE",
        `/api/v1/groups/${w.group}/members/${id}`,
        undefined,
        400,
        V,
        "params.userId",
      ],
    ),
    ["DELETE", `/api/v1/groups/${w.group}/members/user_missing`, undefined, 404, "NOT_FOUND", ""],
    // grants
    ...bodyCases("POST", "/api/v1/grants", grant),
    ...fieldCases("POST", "/api/v1/grants", grant, "scopeId", [...SQL, ...CONTROL, LONG, 1]),
    ...fieldCases("POST", "/api/v1/grants", grant, "role", ["owner", null, 3]),
    ...fieldCases("POST", "/api/v1/grants", grant, "scopeType", ["planet", ""]),
    ...fieldCases("POST", "/api/v1/grants", grant, "principalType", ["robot"]),
    ...fieldCases("POST", "/api/v1/grants", grant, "principalId", [...SQL, "../x"]),
    [
      "POST",
      "/api/v1/grants",
      withField(grant, "principalId", "user_missing"),
      400,
      V,
      "principalId",
    ],
    [
      "POST",
      "/api/v1/grants",
      { ...grant, principalType: "group", principalId: "super" },
      400,
      V,
      "principalId",
    ],
    ["POST", "/api/v1/grants", withField(grant, "scopeType", "global"), 400, V, "scopeId"],
    ["POST", "/api/v1/grants", withField(grant, "scopeId", "acc_missing"), 400, V, "scopeId"],
    [
      "POST",
      "/api/v1/grants",
      { ...grant, scopeType: "resource", scopeId: "nocolon" },
      400,
      V,
      "scopeId",
    ],
    ["GET", "/api/v1/grants?principalType=robot", undefined, 400, V, "querystring.principalType"],
    ["GET", "/api/v1/grants?scopeType=planet", undefined, 400, V, "querystring.scopeType"],
    [
      "GET",
      `/api/v1/grants?principalId=${enc(SQL[0])}`,
      undefined,
      400,
      V,
      "querystring.principalId",
    ],
    ["GET", `/api/v1/grants?scopeId=${enc(CONTROL[2])}`, undefined, 400, V, "querystring.scopeId"],
    ["GET", "/api/v1/grants?role=owner", undefined, 400, V, "querystring.role"],
    ["GET", `/api/v1/grants?userId=${enc(SQL[0])}`, undefined, 400, V, "querystring.userId"],
    ["GET", `/api/v1/groups?q=${enc(CONTROL[2])}`, undefined, 400, V, "querystring.q"],
    ["GET", `/api/v1/groups?userId=${enc(SQL[0])}`, undefined, 400, V, "querystring.userId"],
    ...badIds.map((id): Case => ["DELETE", `/api/v1/grants/${id}`, undefined, 400, V, "params.id"]),
    ["DELETE", "/api/v1/grants/grant_missing", undefined, 404, "NOT_FOUND", ""],
    // API keys
    ...bodyCases("POST", "/api/v1/api-keys", key),
    ...fieldCases("POST", "/api/v1/api-keys", key, "name", [
      ...CONTROL,
      "x".repeat(33),
      LONG,
      "",
      1,
    ]),
    ...fieldCases("POST", "/api/v1/api-keys", key, "scopes", [
      "read",
      [],
      Array(21).fill("read"),
      null,
    ]),
    ...[
      ["root"],
      [`account:${SQL[0]}:read`],
      ["account:a\nb:read"],
      [`account:${w.a}:super`],
      [1],
    ].map(
      (scopes): Case => ["POST", "/api/v1/api-keys", { ...key, scopes }, 400, V, "body.scopes.0"],
    ),
    ...fieldCases("POST", "/api/v1/api-keys", key, "expiresInDays", [0, -1, 100_000, "5", 1.5]),
    ...fieldCases("POST", "/api/v1/api-keys", key, "userId", [...SQL, "../x"]),
    ...fieldCases("POST", "/api/v1/api-keys", key, "key", ["stw_chosen_by_the_client"]),
    ["POST", "/api/v1/api-keys", { ...key, userId: "user_missing" }, 400, V, "userId"],
    ["GET", `/api/v1/api-keys?userId=${enc(SQL[1])}`, undefined, 400, V, "querystring.userId"],
    ...badIds.map(
      (id): Case => ["DELETE", `/api/v1/api-keys/${id}`, undefined, 400, V, "params.id"],
    ),
    ["DELETE", "/api/v1/api-keys/apik_missing", undefined, 404, "NOT_FOUND", ""],
    // audit events
    ...[
      ["actor", SQL[0]],
      ["action", `user.create${SQL[0]}`],
      ["action", "%"],
      ["targetType", "Users"],
      ["target", CONTROL[0]],
      ["account", "../x"],
      ["outcome", "all"],
      ["from", "yesterday"],
      ["to", "2024-01-01"],
    ].map(
      ([k = "", v = ""]): Case => [
        "GET",
        `/api/v1/audit-events?${k}=${enc(v)}`,
        undefined,
        400,
        V,
        `querystring.${k}`,
      ],
    ),
  ];
  // every paged list: limits and cursors
  const lists = [
    "/api/v1/users",
    "/api/v1/accounts",
    `/api/v1/accounts/${w.a}/members`,
    "/api/v1/groups",
    `/api/v1/groups/${w.group}/members`,
    "/api/v1/grants",
    "/api/v1/api-keys",
    "/api/v1/audit-events",
  ];
  for (const list of lists)
    for (const [q = "", field = ""] of badPages)
      out.push(["GET", `${list}?${q}`, undefined, 400, V, field]);
  return out;
}
