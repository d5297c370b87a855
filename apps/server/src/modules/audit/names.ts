// The names people read for the things audit events and tasks point at ("site" + id ->
// example.com), each table's asked of its owning module, every type of a page in one
// statement (lib/names.ts).
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { type NamedRow, type NameSource, namesIn } from "../../lib/names.ts";
import { accountNames } from "../accounts/repo.ts";
import { appNames } from "../apps/repo.ts";
import { cronJobNames } from "../cron/repo.ts";
import { zoneNames } from "../dns/repo.ts";
import { groupNames } from "../groups/repo.ts";
import { nodeNames } from "../nodes/repo.ts";
import { siteNames } from "../sites/repo.ts";
import { systemUserNames } from "../system-users/repo.ts";
import { emailsOf } from "../users/repo.ts";

const sources: Record<string, NameSource> = {
  user: emailsOf,
  group: groupNames,
  account: accountNames,
  site: siteNames,
  node: nodeNames,
  dns_zone: zoneNames,
  app: appNames,
  "system-user": systemUserNames,
  "cron-job": cronJobNames,
};

export interface Ref {
  type: string | null;
  id: string | null;
}

/**
 * The referenced things that still exist, read in one statement: `name(type, id)` is the name
 * of one (or null), `rows(type)` the rows read for a type. `instead` reads a type from another
 * source of the same table (the task list's sites, which also tell the task removing them).
 */
export async function namesOf(
  db: Kysely<Database>,
  refs: readonly Ref[],
  instead: Record<string, NameSource> = {},
) {
  const idsOf = new Map<string, string[]>();
  for (const { type, id } of refs) {
    if (!type || !id || !Object.hasOwn(sources, type)) continue;
    const ids = idsOf.get(type);
    if (ids) ids.push(id);
    else idsOf.set(type, [id]);
  }
  const types = [...idsOf.keys()];
  const parts = types.map((type) =>
    (instead[type] ?? (sources[type] as NameSource)).part(idsOf.get(type) as string[]),
  );
  const found = new Map<string, Map<string, NamedRow>>();
  for (const [i, rows] of (await namesIn(db, parts)).entries())
    found.set(types[i] as string, new Map(rows.map((r) => [r.id, r])));
  return {
    name: (type: string | null, id: string | null): string | null =>
      (type && id && found.get(type)?.get(id)?.name) || null,
    rows: (type: string): Iterable<NamedRow> => found.get(type)?.values() ?? [],
  };
}
