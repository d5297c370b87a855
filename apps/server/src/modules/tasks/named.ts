// Tasks as lists show them: each with its target's name and title, the names of a page's
// targets read in one statement (audit/names.ts), each row made into its item once.
import type { Task } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { namesOf } from "../audit/names.ts";
import { siteTitles } from "../sites/repo.ts";
import { namedTask, type ShownTaskRow } from "./repo.ts";

/** The tasks with their targets' names and titles; the sites' rows also tell which tasks remove their site. */
export async function withNames(
  db: Kysely<Database>,
  rows: readonly ShownTaskRow[],
): Promise<Task[]> {
  const names = await namesOf(
    db,
    rows.map((r) => ({ type: r.target_type, id: r.target_id })),
    { site: siteTitles },
  );
  const removals = new Set<string>();
  for (const site of names.rows("site")) if (site.extra) removals.add(site.extra);
  return rows.map((r) =>
    namedTask(
      r,
      names.name(r.target_type, r.target_id),
      r.kind === "site.apply" && removals.has(r.id),
    ),
  );
}
