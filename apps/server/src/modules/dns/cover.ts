// The zone of an account that covers a name: the longest managed zone the name ends in.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import * as repo from "./repo.ts";

/** The zone and the name's labels inside it ([] at the apex), or null when none covers it. */
export async function coveringZone(db: Kysely<Database>, accountId: string, fqdn: string) {
  const labels = fqdn.replace(/^\*\./, "").replace(/\.$/, "").toLowerCase().split(".");
  const suffixes = labels.map((_, i) => labels.slice(i).join("."));
  const zones = (await repo.zonesNamed(db, suffixes)).filter((z) => z.account_id === accountId);
  const zone = zones.sort((a, b) => b.name.length - a.name.length)[0];
  if (!zone) return null;
  return { zone, inside: labels.slice(0, labels.length - zone.name.split(".").length) };
}
