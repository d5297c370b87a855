// The hostile values of hostile-input.test.ts for the events API: each filter's bad values, ids
// that are no ids, pages and cursors.
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, badPages, type Case, V } from "./hostile-cases.ts";

const filters: [string, string][] = [
  ["type", SQL[0]],
  ["type", "no.such."],
  ["type", "task"],
  ["type", ""],
  ["type", "Task.failed"],
  ["type", LONG],
  ["severity", "error"],
  ["severity", "INFO"],
  ["outcome", "denied"],
  ["account", "../x"],
  ["account", SQL[1]],
  ["targetType", "Site"],
  ["targetType", CONTROL[0]],
  ["target", CONTROL[2]],
  ["target", "x".repeat(65)],
  ["from", "yesterday"],
  ["to", "2024-01-01"],
];

export function eventCases(): Case[] {
  const list = "/api/v1/events";
  return [
    ...filters.map(
      ([k, v]): Case => ["GET", `${list}?${k}=${enc(v)}`, undefined, 400, V, `querystring.${k}`],
    ),
    ...badPages.map(
      ([q = "", field = ""]): Case => ["GET", `${list}?${q}`, undefined, 400, V, field],
    ),
    ...badIds.map((id): Case => ["GET", `${list}/${id}`, undefined, 400, V, "params.id"]),
    ["GET", `${list}/evt_missing`, undefined, 404, "NOT_FOUND", ""],
  ];
}
