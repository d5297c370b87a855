// The hostile values of hostile-input.test.ts for the task API.
import type { World } from "./fixtures.ts";
import { badNames, CONTROL, enc, LONG, SQL } from "./hostile.ts";
import {
  badIds,
  badPages,
  bodyCases,
  type Case,
  fieldCases,
  V,
  withField,
} from "./hostile-cases.ts";
import { INTERNAL_KIND, LINES, SYSTEM_KIND } from "./task-kinds.ts";

/** Tasks the cases act on: one queued, one finished. */
export interface HostileTasks {
  queued: string;
  finished: string;
}

const DAY = 24 * 3600_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

export function taskCases(w: World, t: HostileTasks): Case[] {
  const create = { kind: LINES, accountId: w.a };
  const post = (body: Record<string, unknown>, field: string, status = 400): Case => [
    "POST",
    "/api/v1/tasks",
    body,
    status,
    V,
    field,
  ];
  const one = `/api/v1/tasks/${t.queued}`;
  const out: Case[] = [
    ...bodyCases("POST", "/api/v1/tasks", create),
    ...fieldCases("POST", "/api/v1/tasks", create, "kind", badNames("Logrotate", "../bin/sh")),
    post({ kind: "no.such.kind" }, "kind"),
    post({ kind: INTERNAL_KIND }, "kind"),
    ...fieldCases("POST", "/api/v1/tasks", create, "payload", ["lines", 5, [1], null]),
    post({ ...create, payload: { lines: -1 } }, "payload.lines"),
    post({ ...create, payload: { lines: "5" } }, "payload.lines"),
    post({ ...create, payload: { word: LONG } }, "payload.word"),
    post({ ...create, payload: { surprise: true } }, "payload"),
    ...fieldCases("POST", "/api/v1/tasks", create, "expression", [...CONTROL, LONG, "", 5]),
    ...["not a cron", "* * *", "61 * * * *", `@daily${SQL[0]}`, "0 0 31 2 *"].map((e) =>
      post({ ...create, expression: e }, "expression"),
    ),
    post({ kind: SYSTEM_KIND, expression: "@daily" }, "expression"),
    // a system task belongs to no account (the lists' scope relies on it)
    post({ kind: SYSTEM_KIND, accountId: w.a }, "accountId"),
    ...fieldCases("POST", "/api/v1/tasks", create, "timezone", [
      "../etc/passwd",
      "Europe/Paris\n",
      SQL[0],
      LONG,
      1,
    ]),
    post({ ...create, expression: "@daily", timezone: "Mars/Olympus_Mons" }, "timezone"),
    post({ ...create, timezone: "Europe/Paris" }, "timezone"),
    ...fieldCases("POST", "/api/v1/tasks", create, "priority", [-1, 10, 1.5, 1e12, "5", null]),
    ...fieldCases("POST", "/api/v1/tasks", create, "delaySeconds", [-1, 1e12, 1.5, "60"]),
    ...fieldCases("POST", "/api/v1/tasks", create, "runAt", ["tomorrow", "2030-01-01", 5]),
    post({ ...create, runAt: iso(400 * DAY) }, "runAt"),
    post({ ...create, runAt: iso(-2 * DAY) }, "runAt"),
    post({ ...create, runAt: iso(DAY), delaySeconds: 5 }, "runAt"),
    ...fieldCases("POST", "/api/v1/tasks", create, "accountId", [...SQL, "../x", 5]),
    post({ ...create, accountId: "acc_missing" }, "accountId"),
    ...fieldCases("POST", "/api/v1/tasks", create, "onSuccess", ["explode", null]),
    ...fieldCases("POST", "/api/v1/tasks", create, "enabled", ["yes", 1]),
    post({ ...create, targetType: "site" }, "body.targetType"),
    // one task
    ...bodyCases("PATCH", one, { priority: 3 }),
    ...fieldCases("PATCH", one, {}, "priority", [-1, 10, 2.5, "3", null]),
    ...fieldCases("PATCH", one, {}, "enabled", ["yes", 0]),
    ...fieldCases("PATCH", one, {}, "expression", [...CONTROL, LONG, 7]),
    ["PATCH", one, { expression: "not a cron" }, 400, V, "expression"],
    ["PATCH", one, { expression: "@daily", timezone: "Mars/Olympus_Mons" }, 400, V, "timezone"],
    ["PATCH", one, { timezone: "Europe/Paris" }, 400, V, "timezone"],
    ["PATCH", one, withField({}, "state", "succeeded"), 400, V, "body.state"],
    ["PATCH", one, withField({}, "kind", "other"), 400, V, "body.kind"],
    ["POST", `/api/v1/tasks/${t.finished}/cancel`, undefined, 409, "CONFLICT", "state"],
    ...["", "/run", "/cancel", "/logs", "/events"].map(
      (sub): Case => [
        sub === "/run" || sub === "/cancel" ? "POST" : "GET",
        `/api/v1/tasks/task_missing${sub}`,
        undefined,
        404,
        "NOT_FOUND",
        "",
      ],
    ),
    ["PATCH", "/api/v1/tasks/task_missing", { priority: 1 }, 404, "NOT_FOUND", ""],
    ...[
      ["state", "done"],
      ["kind", SQL[0]],
      ["target", "../x"],
      ["target", `site:${SQL[1]}`],
      ["account", SQL[0]],
      ["enabled", "maybe"],
    ].map(
      ([k = "", v = ""]): Case => [
        "GET",
        `/api/v1/tasks?${k}=${enc(v)}`,
        undefined,
        400,
        V,
        `querystring.${k}`,
      ],
    ),
    [
      "GET",
      `/api/v1/tasks/${t.queued}/events?after=${enc(SQL[0])}`,
      undefined,
      400,
      V,
      "querystring.after",
    ],
    ["GET", `/api/v1/tasks/${t.queued}/events?foo=1`, undefined, 400, V, "querystring.foo"],
  ];
  for (const [method, sub] of [
    ["GET", ""],
    ["PATCH", ""],
    ["GET", "/logs"],
    ["GET", "/events"],
    ["POST", "/run"],
    ["POST", "/cancel"],
  ] as const)
    for (const id of badIds)
      out.push([
        method,
        `/api/v1/tasks/${id}${sub}`,
        method === "PATCH" ? {} : undefined,
        400,
        V,
        "params.id",
      ]);
  for (const list of ["/api/v1/tasks", `/api/v1/tasks/${t.queued}/logs`])
    for (const [q = "", field = ""] of badPages)
      out.push(["GET", `${list}?${q}`, undefined, 400, V, field]);
  return out;
}
