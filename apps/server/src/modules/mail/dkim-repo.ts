// Every line of SQL of mail_dkim_keys and mail_dns_records (migration 070).
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { MailDkimKeyTable } from "../../db/schema-mail.ts";
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
