// Every line of SQL of mail_dkim_keys, mail_dns_policies and mail_dns_records (migration 070).
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { MailDkimKeyTable, MailDnsPolicyTable } from "../../db/schema-mail.ts";
import { newId } from "../../lib/ids.ts";
import type { MadeRecord } from "../dns/mail-records.ts";

export type DkimKeyRow = Selectable<MailDkimKeyTable>;
type Db = Kysely<Database>;

/** A domain's keys, newest first. */
export const keysOf = (db: Db, domainId: string) =>
  db
    .selectFrom("mail_dkim_keys")
    .selectAll()
    .where("domain_id", "=", domainId)
    .orderBy("id", "desc")
    .execute();

/** The keys of several domains (a node's), newest first. */
export async function keysOfDomains(db: Db, domainIds: string[]) {
  if (!domainIds.length) return [];
  return db
    .selectFrom("mail_dkim_keys")
    .selectAll()
    .where("domain_id", "in", domainIds)
    .orderBy("id", "desc")
    .execute();
}

export async function insertKey(db: Db, row: Insertable<MailDkimKeyTable>) {
  await db.insertInto("mail_dkim_keys").values(row).execute();
}

export async function updateKey(db: Db, id: string, set: Updateable<MailDkimKeyTable>) {
  await db
    .updateTable("mail_dkim_keys")
    .set({ ...set, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

export async function deleteKeys(db: Db, ids: string[]) {
  if (ids.length) await db.deleteFrom("mail_dkim_keys").where("id", "in", ids).execute();
}

export async function deleteDomainKeys(db: Db, domainId: string) {
  await db.deleteFrom("mail_dkim_keys").where("domain_id", "=", domainId).execute();
}

export async function madeRecords(db: Db, domainId: string): Promise<MadeRecord[]> {
  const rows = await db
    .selectFrom("mail_dns_records")
    .select(["zone_id", "name", "type", "value"])
    .where("domain_id", "=", domainId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ zoneId: r.zone_id, name: r.name, type: r.type, value: r.value }));
}

/** Replaces what the panel remembers making for the domain. */
export async function setMadeRecords(db: Db, domainId: string, made: MadeRecord[]) {
  await db.deleteFrom("mail_dns_records").where("domain_id", "=", domainId).execute();
  const now = Date.now();
  if (made.length)
    await db
      .insertInto("mail_dns_records")
      .values(
        made.map((m, i) => ({
          id: newId("mdr", now + i),
          domain_id: domainId,
          zone_id: m.zoneId,
          name: m.name,
          type: m.type,
          value: m.value,
          created_at: now,
        })),
      )
      .execute();
}

export type DnsPolicy = Pick<MailDnsPolicyTable, "spf_all" | "dmarc_policy" | "dmarc_report">;
export const DEFAULT_POLICY: DnsPolicy = {
  spf_all: "~all",
  dmarc_policy: "none",
  dmarc_report: null,
};

/** The domain's record policy (the defaults without a row). */
export async function policyOf(db: Db, domainId: string): Promise<DnsPolicy> {
  const row = await db
    .selectFrom("mail_dns_policies")
    .select(["spf_all", "dmarc_policy", "dmarc_report"])
    .where("domain_id", "=", domainId)
    .executeTakeFirst();
  return row ?? DEFAULT_POLICY;
}

export async function setPolicy(db: Db, domainId: string, p: DnsPolicy) {
  const updated_at = Date.now();
  await db
    .insertInto("mail_dns_policies")
    .values({ domain_id: domainId, ...p, updated_at })
    .onConflict((oc) => oc.column("domain_id").doUpdateSet({ ...p, updated_at }))
    .execute();
}

export async function deletePolicy(db: Db, domainId: string) {
  await db.deleteFrom("mail_dns_policies").where("domain_id", "=", domainId).execute();
}
