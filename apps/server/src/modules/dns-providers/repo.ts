// Every line of SQL of the dns_providers table.
import type { DnsProvider } from "@steward/contracts";
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, DnsProviderTable } from "../../db/schema.ts";
import { countOfAccountIn } from "../../lib/sql.ts";

export type DnsProviderRow = Selectable<DnsProviderTable>;

export const toDnsProvider = (r: DnsProviderRow): DnsProvider => ({
  id: r.id,
  accountId: r.account_id,
  kind: r.kind,
  name: r.name,
  zones: JSON.parse(r.zones) as string[],
  createdAt: new Date(Number(r.created_at)).toISOString(),
  updatedAt: new Date(Number(r.updated_at)).toISOString(),
});

/** An account's providers (at most MAX_PER_ACCOUNT), by id: the account index's walk. */
export const providersOfAccount = (db: Kysely<Database>, accountId: string, limit: number) =>
  db
    .selectFrom("dns_providers")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("id")
    .limit(limit)
    .execute();

export const findProvider = (db: Kysely<Database>, id: string) =>
  db.selectFrom("dns_providers").selectAll().where("id", "=", id).executeTakeFirst();

export const findProviderByName = (db: Kysely<Database>, accountId: string, name: string) =>
  db
    .selectFrom("dns_providers")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("name", "=", name)
    .executeTakeFirst();

export async function insertProvider(db: Kysely<Database>, row: Insertable<DnsProviderTable>) {
  await db.insertInto("dns_providers").values(row).execute();
}

export async function updateZones(db: Kysely<Database>, id: string, zones: string[]) {
  await db
    .updateTable("dns_providers")
    .set({ zones: JSON.stringify(zones), updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

export async function deleteProvider(db: Kysely<Database>, id: string) {
  await db.deleteFrom("dns_providers").where("id", "=", id).execute();
}

/** How many DNS providers an account owns (an account that owns any is not deleted). */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "dns_providers", accountId);
