// The hostile values of hostile-input.test.ts for the SQL console (issue 14): statements with
// NUL or of a megabyte, modes, limits, timeouts and cursors that are not what they claim,
// hostile ids and list parameters. All refused with a 4xx naming the field, before anything
// is run. (Statements that try to escape read-only mode or the timeout: console-api.test.ts
// and the agent's query.test.ts, against the real servers.)
import { enc, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function databaseConsoleCases(database: string): Case[] {
  const path = `/api/v1/databases/${database}/query`;
  const valid = { sql: "SELECT 1" };
  return [
    ...bodyCases("POST", path, valid).slice(0, 3),
    ...fieldCases("POST", path, valid, "sql", [
      "",
      "SELECT 1\u0000",
      `SELECT '${"x".repeat(1_000_000)}'`,
      5,
    ]),
    ...fieldCases("POST", path, valid, "mode", ["admin", SQL[0]]),
    ...fieldCases("POST", path, valid, "confirm", ["yes"]),
    ...fieldCases("POST", path, valid, "limit", [0, 100_000, "x"]),
    ...fieldCases("POST", path, valid, "timeoutSeconds", [0, 301]),
    ...fieldCases("POST", path, valid, "cursor", [LONG]),
    ["POST", `${path}?format=xml`, valid, 400, V, "querystring.format"],
    ["POST", path, { template: "largest-tables", sql: "SELECT 1" }, 400, V, "body.sql"],
    ["POST", path, { template: SQL[0] }, 400, V, "body.template"],
    ["POST", path, { template: "no-such-thing" }, 400, V, "body.template"],
    [
      "POST",
      path,
      { template: "largest-tables", params: { limit: 0 } },
      400,
      V,
      "body.params.limit",
    ],
    [
      "POST",
      path,
      { template: "largest-tables", params: { limit: SQL[0] } },
      400,
      V,
      "body.params.limit",
    ],
    [
      "POST",
      path,
      { template: "largest-tables", params: { other: 1 } },
      400,
      V,
      "body.params.other",
    ],
    [
      "POST",
      path,
      { template: "grants-of-user", params: { user: SQL[1] } },
      400,
      V,
      "body.params.user",
    ],
    // a new user's name: the engine's name validator, before the server is asked
    ...[SQL[0], "`x`", "a\nb", "select", "x".repeat(200), null].map(
      (user): Case => [
        "POST",
        path,
        { template: "create-read-only-user", params: { user }, mode: "write", confirm: true },
        400,
        V,
        "body.params.user",
      ],
    ),
    [
      "POST",
      path,
      { template: "create-read-only-user", params: { user: "reader_x" } },
      400,
      V,
      "body.mode",
    ],
    ["GET", "/api/v1/query-library?engine=oracle", undefined, 400, V, "querystring.engine"],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["POST", `/api/v1/databases/${id}/query`, valid, 400, V, "params.id"],
      ["GET", `/api/v1/databases/${id}/queries`, undefined, 400, V, "params.id"],
    ]),
    [
      "GET",
      `/api/v1/databases/${database}/queries?limit=0`,
      undefined,
      400,
      V,
      "querystring.limit",
    ],
    [
      "GET",
      `/api/v1/databases/${database}/queries?sort=${enc(SQL[0])}`,
      undefined,
      400,
      V,
      "querystring.sort",
    ],
  ];
}
