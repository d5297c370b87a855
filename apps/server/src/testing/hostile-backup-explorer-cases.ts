// The hostile values of the storage explorer (issue 15): the objects list's filters and cursor,
// the import's names (`../x`, NUL, newlines, quotes, 300 characters, a path), account and
// plan, the delete's force flag, hostile ids. All refused with a 4xx naming the field, before
// any destination is asked or anything written (run by modules/backups/explorer-api.test.ts).
import { LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function backupExplorerCases(destination: string, artifact: string): Case[] {
  const objects = `/api/v1/backup-destinations/${destination}/objects`;
  const importPath = `/api/v1/backup-destinations/${destination}/import`;
  const valid = { names: ["site-1.tar.zst"] };
  const badNames = [
    "../x",
    "a\u0000b",
    "a\nb",
    "x".repeat(300),
    "dir/x",
    "'; drop",
    "`x`",
    "-- x",
    "",
  ];
  return [
    ...["status=gone", "plan=%27", "source=a%00b", "verified=yes", "from=yesterday", "to=1"]
      .concat(["minBytes=-1", "maxBytes=abc", "limit=0", "cursor=%27", "foo=1"])
      .map((q): Case => {
        const key = q.slice(0, q.indexOf("="));
        return ["GET", `${objects}?${q}`, undefined, 400, V, `querystring.${key}`];
      }),
    ...badIds.map(
      (id): Case => [
        "GET",
        `/api/v1/backup-destinations/${id}/objects`,
        undefined,
        400,
        V,
        "params.id",
      ],
    ),
    ...bodyCases("POST", importPath, valid).slice(0, 3),
    ...badNames.map(
      (name): Case => ["POST", importPath, { names: [name] }, 400, V, "body.names.0"],
    ),
    ...fieldCases("POST", importPath, valid, "names", [[], "x", Array(101).fill("a.tar"), null]),
    ...fieldCases("POST", importPath, valid, "accountId", [SQL[0], LONG, 5]),
    ...fieldCases("POST", importPath, valid, "planId", [SQL[1], "a\nb"]),
    ...badIds.map(
      (id): Case => [
        "POST",
        `/api/v1/backup-destinations/${id}/import`,
        valid,
        400,
        V,
        "params.id",
      ],
    ),
    [
      "DELETE",
      `/api/v1/backup-artifacts/${artifact}?force=yes`,
      undefined,
      400,
      V,
      "querystring.force",
    ],
    ["DELETE", `/api/v1/backup-artifacts/${artifact}?x=1`, undefined, 400, V, "querystring.x"],
    ...badIds.map(
      (id): Case => ["DELETE", `/api/v1/backup-artifacts/${id}`, undefined, 400, V, "params.id"],
    ),
  ];
}
