// The hostile values of hostile-input.test.ts for sorted lists: a sort that is no key of the
// list, and cursors that were never a page's (each a 400 naming the field, never a 500).
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { type Case, V } from "./hostile-cases.ts";

/** The lists that sort, each with one of its keys. */
const SORTED = [
  ["/api/v1/sites", "name"],
  ["/api/v1/nodes", "lastSeenAt"],
  ["/api/v1/accounts", "name"],
  ["/api/v1/users", "email"],
  ["/api/v1/groups", "name"],
  ["/api/v1/certificates", "expires"],
] as const;

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function sortCases(): Case[] {
  const sorts = [SQL[0], CONTROL[0], LONG, "--name", "name,id", "id"];
  const out: Case[] = [];
  for (const [list, key] of SORTED) {
    for (const sort of sorts)
      out.push(["GET", `${list}?sort=${enc(sort)}`, undefined, 400, V, "querystring.sort"]);
    const id = "site_01jd0000000000000000000000";
    const numeric = key === "lastSeenAt" || key === "expires";
    const cursors = [
      "x".repeat(1001),
      // not base64url JSON, or JSON of another shape
      "bm90IGpzb24",
      cursorOf({ sort: key, id }),
      // another sort's cursor, a value of the wrong type or size, an id that is no id
      cursorOf([key === "name" ? "createdAt" : "name", "a", id]),
      cursorOf([key, { $gt: "" }, id]),
      cursorOf([key, numeric ? "1" : 1, id]),
      cursorOf([key, numeric ? 1e300 : "x".repeat(501), id]),
      cursorOf([key, numeric ? 1 : "a", SQL[0]]),
    ];
    for (const cursor of cursors)
      out.push([
        "GET",
        `${list}?sort=-${key}&cursor=${cursor}`,
        undefined,
        400,
        V,
        "querystring.cursor",
      ]);
  }
  return out;
}
