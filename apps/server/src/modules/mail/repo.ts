// Every line of SQL of the mail_domains, mailboxes and mail_aliases tables (migration 058).
import type {
  Autoresponder,
  MailAliasItem,
  MailboxItem,
  MailDomainItem,
} from "@steward/contracts/mail";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { MailAliasTable, MailboxTable, MailDomainTable } from "../../db/schema-mail.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { countOfAccountIn } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type DomainRow = Selectable<MailDomainTable>;
export type MailboxRow = Selectable<MailboxTable>;
export type AliasRow = Selectable<MailAliasTable>;
type Db = Kysely<Database>;

const iso = (ms: number) => new Date(Number(ms)).toISOString();

export function toDomain(r: DomainRow, counts: { mailboxes: number; aliases: number }) {
  return {
    id: r.id,
    name: r.name,
    accountId: r.account_id,
    nodeId: r.node_id,
    certificateSite: r.certificate_site_id,
    status: r.status,
    lastError: r.last_error,
    ...counts,
    spamFilter: r.spam_filter,
    junkDays: Number(r.junk_days),
    virusFilter: r.virus_filter,
    taskId: r.task_id,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  } satisfies MailDomainItem;
}

export const toMailbox = (r: MailboxRow): MailboxItem => ({
  id: r.id,
  domainId: r.domain_id,
  address: r.address,
  quotaMb: Number(r.quota_mb),
  enabled: Number(r.enabled) === 1,
  mode: r.mode,
  autoresponder: autoresponderOf(r),
  usage: usageOf(r),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** The mailbox's autoresponder (migration 071), as the contracts parsed it when it was set. */
export const autoresponderOf = (r: MailboxRow): Autoresponder | null =>
  r.autoresponder === null ? null : (JSON.parse(r.autoresponder) as Autoresponder);

/** What the mailbox held at the last sampling (usage-repo.ts writes it). */
function usageOf(r: MailboxRow): MailboxItem["usage"] {
  if (r.usage_at === null || r.usage_bytes === null) return null;
  const bytes = Number(r.usage_bytes);
  const limit = r.usage_limit_bytes === null ? null : Number(r.usage_limit_bytes);
  return {
    bytes,
    messages: Number(r.usage_messages ?? 0),
    limitBytes: limit,
    percent: limit ? Math.round((bytes / limit) * 1000) / 10 : null,
    at: iso(r.usage_at),
  };
}

export const toAlias = (r: AliasRow): MailAliasItem => ({
  id: r.id,
  domainId: r.domain_id,
  source: r.source,
  catchAll: r.source.startsWith("@"),
  destinations: JSON.parse(r.destinations) as string[],
  createdAt: iso(r.created_at),
});

/** Lists in creation order (the id), walked along their indexes (migration 058). */
export const domainOrder = keyset("mail_domains.id", { createdAt: "id" });
export const mailboxOrder = keyset("mailboxes.id", { createdAt: "id" });
export const aliasOrder = keyset("mail_aliases.id", { createdAt: "id" });

async function countsOf(db: Db, ids: string[]) {
  const counts = new Map(ids.map((id) => [id, { mailboxes: 0, aliases: 0 }]));
  if (!ids.length) return counts;
  const [boxes, aliases] = await Promise.all([
    db
      .selectFrom("mailboxes")
      .select(["domain_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("domain_id", "in", ids)
      .groupBy("domain_id")
      .execute(),
    db
      .selectFrom("mail_aliases")
      .select(["domain_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("domain_id", "in", ids)
      .groupBy("domain_id")
      .execute(),
  ]);
  for (const r of boxes) (counts.get(r.domain_id) as { mailboxes: number }).mailboxes = Number(r.n);
  for (const r of aliases) (counts.get(r.domain_id) as { aliases: number }).aliases = Number(r.n);
  return counts;
}

export async function domainItem(db: Db, row: DomainRow) {
  const counts = await countsOf(db, [row.id]);
  return toDomain(row, counts.get(row.id) ?? { mailboxes: 0, aliases: 0 });
}

export async function listDomains(
  db: Db,
  scope: ListScope,
  f: { account?: string; node?: string; limit: number; walk: Walk },
) {
  let q = f.walk.apply(db.selectFrom("mail_domains").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.node) q = q.where("node_id", "=", f.node);
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
  const counts = await countsOf(
    db,
    rows.slice(0, f.limit).map((r) => r.id),
  );
  return f.walk.page(rows, f.limit, (r) =>
    toDomain(r, counts.get(r.id) ?? { mailboxes: 0, aliases: 0 }),
  );
}

export async function listMailboxes(db: Db, domainId: string, f: { limit: number; walk: Walk }) {
  const rows = await f.walk
    .apply(db.selectFrom("mailboxes").selectAll().where("domain_id", "=", domainId))
    .limit(f.limit + 1)
    .execute();
  return f.walk.page(rows, f.limit, toMailbox);
}

export async function listAliases(db: Db, domainId: string, f: { limit: number; walk: Walk }) {
  const rows = await f.walk
    .apply(db.selectFrom("mail_aliases").selectAll().where("domain_id", "=", domainId))
    .limit(f.limit + 1)
    .execute();
  return f.walk.page(rows, f.limit, toAlias);
}

export const findDomain = (db: Db, id: string) =>
  db.selectFrom("mail_domains").selectAll().where("id", "=", id).executeTakeFirst();

export const findDomainByName = (db: Db, name: string) =>
  db.selectFrom("mail_domains").selectAll().where("name", "=", name).executeTakeFirst();

export const insertDomain = (db: Db, row: Insertable<MailDomainTable>) =>
  db.insertInto("mail_domains").values(row).execute();

export const updateDomain = (db: Db, id: string, patch: Updateable<MailDomainTable>) =>
  db
    .updateTable("mail_domains")
    .set({ ...patch, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();

/** The domain and everything in it (the node stopped serving it). */
export async function deleteDomain(db: Db, id: string) {
  await db.deleteFrom("mailboxes").where("domain_id", "=", id).execute();
  await db.deleteFrom("mail_aliases").where("domain_id", "=", id).execute();
  await db.deleteFrom("mail_domains").where("id", "=", id).execute();
}

/** The domains whose certificate is this site's (a renewal installs it again). */
export const domainsWithCertificateOf = (db: Db, siteId: string) =>
  db.selectFrom("mail_domains").selectAll().where("certificate_site_id", "=", siteId).execute();

/** Every domain after `after` in id order, `limit` at a time (the Junk retention's walk). */
export const domainsAfter = (db: Db, after: string, limit: number) =>
  db
    .selectFrom("mail_domains")
    .select(["id", "name", "node_id", "status", "junk_days"])
    .where("id", ">", after)
    .orderBy("id")
    .limit(limit)
    .execute();

/** Every domain a node serves (or is to stop serving), by its node index. */
export const domainsOfNode = (db: Db, nodeId: string) =>
  db.selectFrom("mail_domains").selectAll().where("node_id", "=", nodeId).orderBy("id").execute();

/** The mailboxes and aliases of domains (a node's whole mail state), by domain. */
export async function contentsOf(db: Db, domainIds: string[]) {
  if (!domainIds.length) return { mailboxes: [], aliases: [] };
  const [mailboxes, aliases] = await Promise.all([
    db
      .selectFrom("mailboxes")
      .selectAll()
      .where("domain_id", "in", domainIds)
      .orderBy("domain_id")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("mail_aliases")
      .selectAll()
      .where("domain_id", "in", domainIds)
      .orderBy("domain_id")
      .orderBy("id")
      .execute(),
  ]);
  return { mailboxes, aliases };
}

export const findMailbox = (db: Db, id: string) =>
  db.selectFrom("mailboxes").selectAll().where("id", "=", id).executeTakeFirst();

export const insertMailbox = (db: Db, row: Insertable<MailboxTable>) =>
  db.insertInto("mailboxes").values(row).execute();

export const updateMailbox = (db: Db, id: string, patch: Updateable<MailboxTable>) =>
  db
    .updateTable("mailboxes")
    .set({ ...patch, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();

export const deleteMailbox = (db: Db, id: string) =>
  db.deleteFrom("mailboxes").where("id", "=", id).execute();

export const findAlias = (db: Db, id: string) =>
  db.selectFrom("mail_aliases").selectAll().where("id", "=", id).executeTakeFirst();

export const insertAlias = (db: Db, row: Insertable<MailAliasTable>) =>
  db.insertInto("mail_aliases").values(row).execute();

export const deleteAlias = (db: Db, id: string) =>
  db.deleteFrom("mail_aliases").where("id", "=", id).execute();

/** Whether an address is taken, by a mailbox or an alias (both unique indexes). */
export async function addressTaken(db: Db, address: string) {
  const [box, alias] = await Promise.all([
    db.selectFrom("mailboxes").select("id").where("address", "=", address).executeTakeFirst(),
    db.selectFrom("mail_aliases").select("id").where("source", "=", address).executeTakeFirst(),
  ]);
  return box ? "a mailbox" : alias ? "an alias" : null;
}

/** The nodes that serve mail domains (the usage sampling's walk), along mail_domains_node_idx. */
export async function mailNodeIds(db: Db) {
  const rows = await db
    .selectFrom("mail_domains")
    .select("node_id")
    .distinct()
    .orderBy("node_id")
    .execute();
  return rows.map((r) => r.node_id);
}

/** How many mail domains an account owns (an account that owns any is not deleted). */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "mail_domains", accountId);
