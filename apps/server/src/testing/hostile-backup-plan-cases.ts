// The hostile values for backup sources, plans, runs and artifacts (issue 15): names, paths
// with `..` or relative, globs leaving the root, URIs with newlines, cron expressions with shell
// in them, unknown or path-like time zones, keys that are not X25519 keys, retention and
// levels out of range, hostile ids and filters. All refused with a 4xx naming the field before
// anything is written. Run by modules/backups/plans-api.test.ts against a real node's ids.
import { enc, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export interface BackupPlanIds {
  account: string;
  node: string;
  source: string;
  destination: string;
  plan: string;
  /** a files artifact of the plan (restore, test restore) */
  artifact?: string;
}

/** Restores, test restores, plan changes and recovery kits (issue 15, the panel's restores). */
function restoreCases(ids: BackupPlanIds): Case[] {
  const artifact = `/api/v1/backup-artifacts/${ids.artifact ?? "bka_x"}`;
  const plan = `/api/v1/backup-plans/${ids.plan}`;
  const body = { target: { kind: "files", path: "/srv/restored" }, dryRun: true };
  const inTarget = (target: Record<string, unknown>, field: string): Case => [
    "POST",
    `${artifact}/restore`,
    { ...body, target },
    400,
    V,
    `body.target.${field}`,
  ];
  const identities = ["a\nb", SQL[0], "$(id)", "`id`", "../../etc/passwd", "", LONG];
  return [
    ...bodyCases("POST", `${artifact}/restore`, body).slice(0, 3),
    inTarget({ kind: "nfs" }, "kind"),
    ...[
      "../etc",
      "relative",
      "/var/../etc",
      "/a\u0000b",
      "/a\nb",
      "/a;b",
      "/$(id)",
      "/`id`",
      LONG,
    ].map((path) => inTarget({ kind: "files", path }, "path")),
    inTarget({ kind: "files", nodeId: SQL[0] }, "nodeId"),
    inTarget({ kind: "database", serverId: "a`b" }, "serverId"),
    inTarget({ kind: "database", database: LONG }, "database"),
    inTarget({ kind: "database", replace: "yes" }, "replace"),
    ...fieldCases("POST", `${artifact}/restore`, body, "dryRun", ["yes"]),
    ...fieldCases("POST", `${artifact}/restore`, body, "identity", identities),
    ...bodyCases("POST", `${artifact}/verify`, {}).slice(0, 1),
    ...fieldCases("POST", `${artifact}/verify`, {}, "identity", identities),
    // a files artifact goes to files; a node's path and the database's name are checked again
    [
      "POST",
      `${artifact}/restore`,
      { target: { kind: "database", database: "shop" } },
      400,
      V,
      "target.kind",
    ],
    ["GET", `${artifact}/download?decrypt=maybe`, undefined, 400, V, "querystring.decrypt"],
    ["GET", `${artifact}/download?identity=abc`, undefined, 400, V, "querystring.identity"],
    ["POST", `${artifact}/download`, {}, 400, V, "body.identity"],
    ...fieldCases("POST", `${artifact}/download`, {}, "identity", identities),
    ...bodyCases("PATCH", plan, { name: "renamed" }).slice(0, 3),
    ...fieldCases("PATCH", plan, {}, "name", ["", "a\nb", LONG]),
    ...fieldCases("PATCH", plan, {}, "accountId", [ids.account]),
    ...fieldCases("PATCH", plan, {}, "schedule", ["a\nb", LONG]),
    ["PATCH", plan, { schedule: "0 3 * * *; rm -rf /" }, 400, V, "schedule"],
    ...fieldCases("PATCH", plan, {}, "timeZone", ["../etc/passwd", "a b"]),
    ["PATCH", plan, { timeZone: "Mars/Olympus" }, 400, V, "timeZone"],
    ["PATCH", plan, { encryption: { mode: "rot13" } }, 400, V, "body.encryption.mode"],
    ["PATCH", plan, { encryption: { mode: "panel" } }, 400, V, "encryption.mode"],
    ["PATCH", plan, { verify: { schedule: "a\nb" } }, 400, V, "body.verify.schedule"],
    ["PATCH", plan, { verify: { schedule: "@never" } }, 400, V, "verify.schedule"],
    ["PATCH", plan, { sourceIds: [SQL[1]] }, 400, V, "body.sourceIds.0"],
    ["PATCH", plan, { retention: { keepLast: 0 } }, 400, V, "body.retention.keepLast"],
    ["POST", `${plan}/recovery-kit?again=maybe`, undefined, 400, V, "querystring.again"],
    [
      "POST",
      `${plan}/recovery-kit?again=true&reason=a%0Ab`,
      undefined,
      400,
      V,
      "querystring.reason",
    ],
    ...badIds.slice(0, 3).flatMap((id): Case[] => [
      ["POST", `/api/v1/backup-artifacts/${id}/restore`, body, 400, V, "params.id"],
      ["POST", `/api/v1/backup-artifacts/${id}/verify`, {}, 400, V, "params.id"],
      ["GET", `/api/v1/backup-artifacts/${id}/download`, undefined, 400, V, "params.id"],
      ["PATCH", `/api/v1/backup-plans/${id}`, { name: "x" }, 400, V, "params.id"],
      ["POST", `/api/v1/backup-plans/${id}/recovery-kit`, undefined, 400, V, "params.id"],
    ]),
  ];
}

export function backupPlanCases(ids: BackupPlanIds): Case[] {
  const sources = "/api/v1/backup-sources";
  const plans = "/api/v1/backup-plans";
  const files = { kind: "files", nodeId: ids.node, path: "/srv/www", excludes: [] };
  const source = { name: "hostile", accountId: ids.account, source: files };
  const inSource = (change: Record<string, unknown>, field: string): Case => [
    "POST",
    sources,
    { ...source, source: { ...files, ...change } },
    400,
    V,
    `body.source.${field}`,
  ];
  const mongo = { kind: "mongodb", nodeId: ids.node, uri: "mongodb://db.example.com/app" };
  const plan = {
    name: "hostile",
    accountId: ids.account,
    sourceIds: [ids.source],
    destinationIds: [ids.destination],
  };
  return [
    ...bodyCases("POST", sources, source).slice(0, 3),
    ...fieldCases("POST", sources, source, "name", ["", "a\nb", "a\u202eb", LONG]),
    ...fieldCases("POST", sources, source, "accountId", [SQL[0], "a b"]),
    ["POST", sources, { ...source, accountId: "acc_missing" }, 400, V, "accountId"],
    ["POST", plans, { ...plan, accountId: "acc_missing" }, 400, V, "accountId"],
    ...fieldCases("POST", sources, source, "saveAnyway", ["yes"]),
    inSource({ kind: "nfs" }, "kind"),
    ...[
      "../etc",
      "relative/dir",
      "/var/../etc",
      "/srv/www/..",
      "/a\u0000b",
      "/a b",
      "/a;b",
      "/$(id)",
      LONG,
    ].map((path) => inSource({ path }, "path")),
    ...["/etc/**", "a\nb", "", LONG].map((glob) => inSource({ excludes: [glob] }, "excludes.0")),
    inSource({ excludes: Array.from({ length: 101 }, (_, i) => `x${i}`) }, "excludes"),
    inSource({ nodeId: SQL[1] }, "nodeId"),
    [
      "POST",
      sources,
      { ...source, source: { kind: "database", databaseId: "a`b" } },
      400,
      V,
      "body.source.databaseId",
    ],
    // Steward itself takes no settings: anything more is refused, naming it
    ...[{ path: "/" }, { nodeId: "nod_00000000000000000000000000" }].map(
      (extra): Case => [
        "POST",
        sources,
        { ...source, source: { kind: "steward", ...extra } },
        400,
        V,
        `body.source.${Object.keys(extra)[0]}`,
      ],
    ),
    ["POST", sources, { ...source, source: { kind: "steward;" } }, 400, V, "body.source.kind"],
    ...["http://db.example.com", "mongodb://", "mongodb://h/\nDROP", LONG].map(
      (uri): Case => [
        "POST",
        sources,
        { ...source, source: { ...mongo, uri } },
        400,
        V,
        "body.source.uri",
      ],
    ),
    ...["a.b", "a b", "a$b", "x".repeat(64)].map(
      (database): Case => [
        "POST",
        sources,
        { ...source, source: { ...mongo, database } },
        400,
        V,
        "body.source.database",
      ],
    ),
    ...bodyCases("POST", plans, plan).slice(0, 3),
    ...fieldCases("POST", plans, plan, "name", ["", "a\nb", LONG]),
    ...fieldCases("POST", plans, plan, "sourceIds", [[], "bks_x"]),
    ["POST", plans, { ...plan, sourceIds: [SQL[0]] }, 400, V, "body.sourceIds.0"],
    ...fieldCases("POST", plans, plan, "destinationIds", [[]]),
    ...fieldCases("POST", plans, plan, "schedule", ["", "a\nb", LONG]),
    // checked by the engine's own schedule check, after the shape
    ...["61 * * * *", "* * *", "0 3 * * *; rm -rf /", "@never"].map(
      (schedule): Case => ["POST", plans, { ...plan, schedule }, 400, V, "schedule"],
    ),
    ...fieldCases("POST", plans, plan, "timeZone", [
      "../etc/passwd",
      "Europe/Paris\n",
      "a b",
      LONG,
    ]),
    ["POST", plans, { ...plan, timeZone: "Mars/Olympus" }, 400, V, "timeZone"],
    ...fieldCases("POST", plans, plan, "compressionLevel", [0, 20, 1.5, "3"]),
    ...fieldCases("POST", plans, plan, "concurrency", [0, 17]),
    ...fieldCases("POST", plans, plan, "enabled", ["true"]),
    ["POST", plans, { ...plan, encryption: { mode: "rot13" } }, 400, V, "body.encryption.mode"],
    ...["not-a-key", "A".repeat(44), `${"A".repeat(43)}=\n`].map(
      (key): Case => [
        "POST",
        plans,
        { ...plan, encryption: { mode: "recipients", recipients: [key] } },
        400,
        V,
        "body.encryption.recipients.0",
      ],
    ),
    ...(
      [
        [{ keepLast: 0 }, "body.retention.keepLast"],
        [{ keepLast: 1001 }, "body.retention.keepLast"],
        [{ gfs: { daily: -1 } }, "body.retention.gfs.daily"],
        [{ gfs: {} }, "body.retention.gfs"],
        [{ forever: true }, "body.retention"],
      ] as const
    ).map(([retention, field]): Case => ["POST", plans, { ...plan, retention }, 400, V, field]),
    ...badIds.slice(0, 3).flatMap((id): Case[] => [
      ["GET", `${sources}/${id}`, undefined, 400, V, "params.id"],
      ["DELETE", `${sources}/${id}`, undefined, 400, V, "params.id"],
      ["GET", `${plans}/${id}`, undefined, 400, V, "params.id"],
      ["DELETE", `${plans}/${id}`, undefined, 400, V, "params.id"],
      ["POST", `${plans}/${id}/run`, undefined, 400, V, "params.id"],
      ["GET", `/api/v1/backup-runs/${id}`, undefined, 400, V, "params.id"],
      ["GET", `/api/v1/backup-artifacts/${id}`, undefined, 400, V, "params.id"],
    ]),
    ["GET", `${plans}/${ids.plan}x`, undefined, 404, "NOT_FOUND", ""],
    ["GET", `${sources}?sort=kind`, undefined, 400, V, "querystring.sort"],
    ["GET", `${plans}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    ["GET", `/api/v1/backup-runs?status=done`, undefined, 400, V, "querystring.status"],
    ["GET", `/api/v1/backup-runs?plan=${enc(SQL[1])}`, undefined, 400, V, "querystring.plan"],
    ["GET", `/api/v1/backup-artifacts?verified=yes`, undefined, 400, V, "querystring.verified"],
    ["GET", `/api/v1/backup-artifacts?from=yesterday`, undefined, 400, V, "querystring.from"],
    [
      "GET",
      `/api/v1/backup-artifacts?destination=a%0Ab`,
      undefined,
      400,
      V,
      "querystring.destination",
    ],
    ["GET", `/api/v1/backup-artifacts?limit=0`, undefined, 400, V, "querystring.limit"],
    ...restoreCases(ids),
  ];
}
