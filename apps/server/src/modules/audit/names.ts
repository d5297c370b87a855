// The names people read for the things audit events and tasks point at ("site" + id ->
// example.com), each asked of the table's owning module, one query per type and page.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { accountNames } from "../accounts/repo.ts";
import { appNames } from "../apps/repo.ts";
import { cronJobNames } from "../cron/repo.ts";
import { zoneNames } from "../dns/repo.ts";
import { groupNames } from "../groups/repo.ts";
import { nodeNames } from "../nodes/repo.ts";
import { siteNames } from "../sites/repo.ts";
import { systemUserNames } from "../system-users/repo.ts";
import { emailsOf } from "../users/repo.ts";

type Lookup = (db: Kysely<Database>, ids: readonly string[]) => Promise<Map<string, string>>;

const lookups: Record<string, Lookup> = {
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

/** Returns `nameOf(type, id)`: the name of each referenced thing that still exists, or null. */
export async function namesOf(db: Kysely<Database>, refs: readonly Ref[]) {
  const found = new Map<string, Map<string, string>>();
  for (const [type, lookup] of Object.entries(lookups)) {
    const ids = refs.flatMap((r) => (r.type === type && r.id ? [r.id] : []));
    if (ids.length) found.set(type, await lookup(db, ids));
  }
  return (type: string | null, id: string | null): string | null =>
    (type && id && found.get(type)?.get(id)) || null;
}
