// A mail domain's records (MX, SPF, DKIM, DMARC: docs/mail.md#dkim-spf-and-dmarc) in the zone
// Steward manages for its account, for the mail module: the records wanted are added unless
// the zone has them (or its own SPF, DMARC or MX, which stay the user's), the ones Steward
// made before and no longer wanted are deleted (never a record Steward did not make), all
// checked with the zone's rules and applied by the zone's task, in the caller's transaction.
import { canonicalValue, type DnsRecord } from "@steward/contracts/dns";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { coveringZone } from "./cover.ts";
import * as repo from "./repo.ts";
import { checkAll } from "./rules.ts";
import { scheduleChange } from "./schedule.ts";

/** A record of the mail domain: `name` relative to the domain (`@`, `_dmarc`, `s._domainkey`). */
export interface MailRecord {
  name: string;
  type: "MX" | "TXT";
  value: string;
}

/** A record Steward made, where it made it (the zone's relative name). */
export interface MadeRecord {
  zoneId: string;
  name: string;
  type: string;
  value: string;
}

const TTL = 3600;
/** a TXT of these kinds at a name is one of a kind: the user's own is kept, not doubled */
const KINDS = ["v=spf1", "v=dmarc1"];
const kindOf = (r: { type: string; value: string }) =>
  r.type === "MX" ? "mx" : KINDS.find((k) => r.value.toLowerCase().startsWith(k));

/** The managed zone covering the domain (of its account), or null: the records are to copy. */
export async function mailZone(db: Kysely<Database>, accountId: string, domain: string) {
  return (await coveringZone(db, accountId, domain))?.zone ?? null;
}

export async function syncMailRecords(
  engine: Engine,
  trx: Kysely<Database>,
  accountId: string,
  domain: string,
  wanted: MailRecord[],
  made: MadeRecord[],
): Promise<{ zoneId: string | null; made: MadeRecord[] }> {
  const covered = await coveringZone(trx, accountId, domain);
  const zoneId = covered?.zone.id ?? null;
  const inside = covered?.inside ?? [];
  const rel = (name: string) => [...(name === "@" ? [] : [name]), ...inside].join(".") || "@";
  const zoneName = covered?.zone.name ?? domain;
  const want: DnsRecord[] = wanted.map((r) => {
    const canonical = canonicalValue(r.type, r.value, zoneName);
    const value = "value" in canonical ? canonical.value : r.value;
    return { name: rel(r.name), type: r.type, ttl: TTL, value };
  });
  const same = (a: { name: string; type: string; value: string }, b: typeof a) =>
    a.name === b.name && a.type === b.type && a.value === b.value;
  // records made in another zone (the domain's zone went or changed) leave it
  for (const zone of new Set(made.filter((m) => m.zoneId !== zoneId).map((m) => m.zoneId)))
    await removeMade(
      engine,
      trx,
      made.filter((m) => m.zoneId === zone),
    );
  if (!covered) return { zoneId: null, made: [] };
  const zone = covered.zone;
  const current = await repo.recordsOf(trx, zone.id);
  const mine = made.filter((m) => m.zoneId === zone.id);
  const stale = current.filter(
    (c) => mine.some((m) => same(m, c)) && !want.some((w) => same(w, c)),
  );
  const kept = current.filter((c) => !stale.includes(c));
  const fresh = want.filter((w) => {
    if (kept.some((c) => same(c, w))) return false;
    const kind = kindOf(w);
    // the user's own record of the kind at that name stays, and is not doubled
    return !kept.some((c) => c.name === w.name && c.type === w.type && kindOf(c) === kind);
  });
  const nowMade = [
    ...mine.filter((m) => kept.some((c) => same(m, c))),
    ...fresh.map((r) => ({ zoneId: zone.id, name: r.name, type: r.type, value: r.value })),
  ];
  if (!stale.length && !fresh.length) return { zoneId: zone.id, made: nowMade };
  checkAll(zone.name, [...kept.map(({ id: _id, ...r }) => r), ...fresh], "body");
  if (stale.length)
    await repo.deleteRecords(
      trx,
      zone.id,
      stale.map((r) => r.id),
    );
  if (fresh.length) await repo.insertRecords(trx, zone.id, fresh);
  await scheduleChange(engine, trx, zone);
  return { zoneId: zone.id, made: nowMade };
}

/** Deletes the records Steward made (those still there, unchanged), zone by zone. */
export async function removeMade(engine: Engine, trx: Kysely<Database>, made: MadeRecord[]) {
  for (const zoneId of new Set(made.map((m) => m.zoneId))) {
    const zone = await repo.findZone(trx, zoneId);
    if (!zone) continue;
    const current = await repo.recordsOf(trx, zoneId);
    const ids = current
      .filter((c) =>
        made.some(
          (m) =>
            m.zoneId === zoneId && m.name === c.name && m.type === c.type && m.value === c.value,
        ),
      )
      .map((c) => c.id);
    if (!ids.length) continue;
    await repo.deleteRecords(trx, zoneId, ids);
    await scheduleChange(engine, trx, zone);
  }
}
