// The rules' tables (migration 025): a rule and the channels it names. The dispatcher reads
// the enabled rules with their channels (rules/cache.ts); the API writes them.
import { type Insertable, type Kysely, type Selectable, type SqlBool, sql } from "kysely";
import type { Database, NotificationRuleTable } from "../../../db/schema.ts";
import { keyset } from "../../../lib/keyset.ts";
import { countOfAccountIn } from "../../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../../lib/walks.ts";

export type RuleRow = Selectable<NotificationRuleTable>;

/** The rules list's order: creation (the id's), walked by (account_id, id) or the key. */
const ruleOrder = keyset("notification_rules.id", { createdAt: "id" });

/** A page of rules; an actor's are read one account at a time. */
export async function listRules<T>(
  db: Kysely<Database>,
  scope: ListScope,
  f: { account?: string; limit: number; cursor?: string },
  item: (row: RuleRow) => T,
) {
  const walk = ruleOrder(undefined, f.cursor);
  let q = walk.apply(db.selectFrom("notification_rules").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, walk);
  return walk.page(rows, f.limit, item);
}

/** Whether another rule of the same scope (an account, or the installation) has the name. */
export async function ruleNameTaken(
  db: Kysely<Database>,
  accountId: string | null,
  name: string,
  except?: string,
) {
  let q = db
    .selectFrom("notification_rules")
    .select("id")
    .where(sql<SqlBool>`coalesce(account_id, '') = ${accountId ?? ""}`)
    .where("name", "=", name);
  if (except) q = q.where("id", "!=", except);
  return (await q.executeTakeFirst()) !== undefined;
}

export const findRule = (db: Kysely<Database>, id: string) =>
  db.selectFrom("notification_rules").selectAll().where("id", "=", id).executeTakeFirst();

export async function ruleChannelIds(db: Kysely<Database>, ruleIds: string[]) {
  const out = new Map<string, string[]>(ruleIds.map((id) => [id, []]));
  if (!ruleIds.length) return out;
  const rows = await db
    .selectFrom("notification_rule_channels")
    .select(["rule_id", "channel_id"])
    .where("rule_id", "in", ruleIds)
    .orderBy("rule_id")
    .orderBy("channel_id")
    .execute();
  for (const r of rows) out.get(r.rule_id)?.push(r.channel_id);
  return out;
}

/** Every enabled rule (a few hundred at most: the dispatcher keeps them in memory). */
export const enabledRules = (db: Kysely<Database>) =>
  db.selectFrom("notification_rules").selectAll().where("enabled", "=", 1).orderBy("id").execute();

export async function insertRule(
  db: Kysely<Database>,
  row: Insertable<NotificationRuleTable>,
  channelIds: string[],
) {
  await db.insertInto("notification_rules").values(row).execute();
  await setRuleChannels(db, row.id, channelIds);
}

export async function setRuleChannels(db: Kysely<Database>, ruleId: string, channelIds: string[]) {
  await db.deleteFrom("notification_rule_channels").where("rule_id", "=", ruleId).execute();
  if (channelIds.length)
    await db
      .insertInto("notification_rule_channels")
      .values(channelIds.map((channel_id) => ({ rule_id: ruleId, channel_id })))
      .execute();
}

export async function updateRule(
  db: Kysely<Database>,
  id: string,
  patch: Partial<Omit<RuleRow, "id">>,
) {
  await db.updateTable("notification_rules").set(patch).where("id", "=", id).execute();
}

export async function deleteRule(db: Kysely<Database>, id: string) {
  await db.deleteFrom("notification_rules").where("id", "=", id).execute();
}

/** How many notification rules an account owns (an account that owns any is not deleted). */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "notification_rules", accountId);
