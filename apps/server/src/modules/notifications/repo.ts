// SQL of notification channels and message templates, nothing else.
import {
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from "kysely";
import type { Database, MessageTemplateTable, NotificationChannelTable } from "../../db/schema.ts";
import { keyset } from "../../lib/keyset.ts";
import { countOfAccountIn, startsWith } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type ChannelRow = Selectable<NotificationChannelTable>;
export type TemplateRow = Selectable<MessageTemplateTable>;

/** The channels list's order: creation (the id's), walked by the indexes of migration 022. */
export const channelOrder = keyset("notification_channels.id", { createdAt: "id" });

/** A page of channels (limit + 1 rows); an actor's are read one account at a time. */
export async function listChannels<T>(
  db: Kysely<Database>,
  scope: ListScope,
  f: { kind?: string; account?: string; q?: string; limit: number; cursor?: string },
  item: (row: ChannelRow) => T,
) {
  const walk = channelOrder(undefined, f.cursor);
  let q = walk.apply(db.selectFrom("notification_channels").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.kind) q = q.where("kind", "=", f.kind);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.q) q = q.where(startsWith(sql.ref("name"), f.q));
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, walk);
  return walk.page(rows, f.limit, item);
}

export async function findChannel(db: Kysely<Database>, id: string) {
  return db.selectFrom("notification_channels").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Channels by id: the id, owner and name of each that exists. */
export const channelsByIds = (db: Kysely<Database>, ids: string[]) =>
  ids.length
    ? db
        .selectFrom("notification_channels")
        .select(["id", "account_id", "name"])
        .where("id", "in", ids)
        .execute()
    : Promise.resolve([]);

/** Whether another channel of the same scope (an account, or the installation) has the name. */
export async function nameTaken(
  db: Kysely<Database>,
  accountId: string | null,
  name: string,
  except?: string,
) {
  let q = db
    .selectFrom("notification_channels")
    .select("id")
    .where(sql<SqlBool>`coalesce(account_id, '') = ${accountId ?? ""}`)
    .where("name", "=", name);
  if (except) q = q.where("id", "!=", except);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertChannel(
  db: Kysely<Database>,
  row: Insertable<NotificationChannelTable>,
) {
  await db.insertInto("notification_channels").values(row).execute();
}

export async function updateChannel(
  db: Kysely<Database>,
  id: string,
  patch: Updateable<NotificationChannelTable>,
) {
  await db.updateTable("notification_channels").set(patch).where("id", "=", id).execute();
}

export async function deleteChannel(db: Kysely<Database>, id: string) {
  await db.deleteFrom("notification_channels").where("id", "=", id).execute();
}

/** Every template override (at most one per event type and template format: a few dozen). */
export async function listTemplates(db: Kysely<Database>): Promise<TemplateRow[]> {
  return db.selectFrom("message_templates").selectAll().execute();
}

export async function putTemplate(db: Kysely<Database>, row: TemplateRow) {
  const change = {
    subject: row.subject,
    body: row.body,
    updated_by: row.updated_by,
    updated_at: row.updated_at,
  };
  await db
    .insertInto("message_templates")
    .values(row)
    .onConflict((oc) => oc.columns(["event_type", "format"]).doUpdateSet(change))
    .execute();
}

export async function deleteTemplate(db: Kysely<Database>, eventType: string, format: string) {
  const r = await db
    .deleteFrom("message_templates")
    .where("event_type", "=", eventType)
    .where("format", "=", format)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** How many notification channels an account owns (an account that owns any is not deleted). */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "notification_channels", accountId);
