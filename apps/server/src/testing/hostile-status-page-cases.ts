// The hostile values of hostile-input.test.ts for status pages: slugs that are not slugs (or
// reserved), names and texts with control characters or too long, monitors that are not ids
// or not the account's, hostile ids, incidents with bad severities and times, and the public
// page's slug. All refused with a 4xx naming the field, before anything is written.
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, badPages, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function statusPageCases(page: { id: string; incident: string }): Case[] {
  const path = "/api/v1/status-pages";
  const one = `${path}/${page.id}`;
  const create = { slug: "hostile-page", title: "Status" };
  const incidents = `${one}/incidents`;
  const incident = { title: "Slow" };
  return [
    ...bodyCases("POST", path, create),
    ...fieldCases("POST", path, create, "slug", [
      "",
      "UPPER",
      "a b",
      "<script>",
      "api",
      "x".repeat(64),
      ...SQL,
      5,
    ]),
    ...fieldCases("POST", path, create, "title", ["", ...CONTROL, LONG, null]),
    ...fieldCases("POST", path, create, "description", ["a\u0000b", "x".repeat(2001), 7]),
    ...fieldCases("POST", path, create, "account", [...SQL, "a\nb"]),
    ...fieldCases("POST", path, create, "monitors", ["all", {}]),
    ["POST", path, { ...create, monitors: [1] }, 400, V, "body.monitors.0"],
    [
      "POST",
      path,
      { ...create, monitors: [{ monitor: SQL[0] }] },
      400,
      V,
      "body.monitors.0.monitor",
    ],
    [
      "POST",
      path,
      { ...create, monitors: [{ monitor: "mon_missing" }] },
      400,
      V,
      "monitors.0.monitor",
    ],
    [
      "POST",
      path,
      { ...create, monitors: [{ monitor: "mon_x", name: "a\nb" }] },
      400,
      V,
      "body.monitors.0.name",
    ],
    ["PATCH", one, { slug: "Bad Slug" }, 400, V, "body.slug"],
    ...badIds.flatMap((id): Case[] => [
      ["GET", `${path}/${id}`, undefined, 400, V, "params.id"],
      ["PATCH", `${path}/${id}`, { title: "x" }, 400, V, "params.id"],
      ["DELETE", `${path}/${id}`, undefined, 400, V, "params.id"],
      ["GET", `${path}/${id}/incidents`, undefined, 400, V, "params.id"],
      ["POST", `${path}/${id}/incidents`, incident, 400, V, "params.id"],
      ["PATCH", `${incidents}/${id}`, { title: "x" }, 400, V, "params.incident"],
      ["DELETE", `${incidents}/${id}`, undefined, 400, V, "params.incident"],
    ]),
    ...badPages.map(([q, field]): Case => ["GET", `${path}?${q}`, undefined, 400, V, field ?? ""]),
    ["GET", `${path}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    ...bodyCases("POST", incidents, incident),
    ...fieldCases("POST", incidents, incident, "title", ["", ...CONTROL, LONG]),
    ...fieldCases("POST", incidents, incident, "body", ["a\u0000b", "x".repeat(10_001)]),
    ...fieldCases("POST", incidents, incident, "severity", ["fatal", 1]),
    ...fieldCases("POST", incidents, incident, "startedAt", ["yesterday", enc(SQL[0])]),
    ["PATCH", `${incidents}/${page.incident}`, { resolvedAt: "soon" }, 400, V, "body.resolvedAt"],
    ...[enc("<script>"), enc(SQL[0]), "UPPER", "api", "x".repeat(70)].map(
      (slug): Case => ["GET", `/status/${slug}`, undefined, 400, V, "params.slug"],
    ),
  ];
}
