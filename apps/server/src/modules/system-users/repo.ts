// Every line of SQL of the system_users table.
import type { SysUser } from "@steward/contracts/hosting";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database, SystemUserTable } from "../../db/schema.ts";
import { namesById } from "../../lib/names.ts";
import { msToIso } from "../../lib/sql.ts";
import { forgetUsage } from "./usage-repo.ts";

export type SystemUserRow = Selectable<SystemUserTable>;

/** An account keeps at most this many system users (the list is one page). */
export const MAX_PER_ACCOUNT = 500;

export function toSysUser(r: SystemUserRow): SysUser {
  const keys = JSON.parse(r.ssh_keys) as string[];
  return {
    id: r.id,
    accountId: r.account_id,
    nodeId: r.node_id,
    kind: r.kind,
    name: r.name,
    cgiUser: r.kind === "main" ? `${r.name}-cgi` : null,
    shell: r.shell,
    ftp: Number(r.ftp) === 1,
    keys: keys.map((line) => {
      const [type = "", , ...comment] = line.split(" ");
      return { type, comment: comment.join(" "), line };
    }),
    hasPassword: r.password_hash !== null,
    home: r.home,
    ...quotaOf(r),
    status: r.status,
    lastError: r.last_error,
    taskId: r.task_id,
    createdAt: msToIso(Number(r.created_at)),
    updatedAt: msToIso(Number(r.updated_at)),
  };
}

/** A user's disk quota (0 is no limit, as null) and whether its node's last apply enforced it. */
export function quotaOf(r: Pick<SystemUserRow, "quota_mb" | "quota_enforced">) {
  const quotaMb = r.quota_mb ? Number(r.quota_mb) : null;
  const enforced = r.quota_enforced === null ? null : Number(r.quota_enforced) === 1;
  return { quotaMb, quotaEnforced: quotaMb === null ? null : enforced };
}

/** An account's system users, newest first: the (account, id) index's walk. */
export const usersOfAccount = (db: Kysely<Database>, accountId: string, limit: number) =>
  db
    .selectFrom("system_users")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();

/** An account's system users on one node (what one sysusers.apply sends). */
export const usersOn = (db: Kysely<Database>, accountId: string, nodeId: string) =>
  db
    .selectFrom("system_users")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("node_id", "=", nodeId)
    .orderBy("id")
    .limit(MAX_PER_ACCOUNT + 1)
    .execute();

export const findUser = (db: Kysely<Database>, id: string) =>
  db.selectFrom("system_users").selectAll().where("id", "=", id).executeTakeFirst();

/** Whether a name is taken on a node (by any account: system users are the node's). */
export const nameTaken = async (db: Kysely<Database>, nodeId: string, name: string) =>
  (await db
    .selectFrom("system_users")
    .select("id")
    .where("node_id", "=", nodeId)
    .where("name", "=", name)
    .executeTakeFirst()) !== undefined;

export async function insertUser(db: Kysely<Database>, row: Insertable<SystemUserTable>) {
  await db.insertInto("system_users").values(row).execute();
}

export async function updateUser(
  db: Kysely<Database>,
  id: string,
  set: Updateable<SystemUserTable>,
) {
  await db.updateTable("system_users").set(set).where("id", "=", id).execute();
}

/**
 * After an apply: each row as it was read (same updated_at) gets its outcome; `quota` is the
 * node's answer for the rows that asked a quota (set: enforced; unsupported: measured only).
 */
export async function settle(
  db: Kysely<Database>,
  rows: SystemUserRow[],
  outcome: { status: "applied" | "failed"; error: string | null; quota?: "set" | "unsupported" },
) {
  for (const r of rows) {
    if (r.status === "deleting") {
      if (outcome.status === "applied") {
        await db.deleteFrom("system_users").where("id", "=", r.id).execute();
        await forgetUsage(db, r.id);
      } else
        await db
          .updateTable("system_users")
          .set({ last_error: outcome.error })
          .where("id", "=", r.id)
          .execute();
      continue;
    }
    // a failed apply leaves the last answer about the quota as it was
    const enforced =
      r.quota_mb === null || outcome.quota === undefined ? null : outcome.quota === "set" ? 1 : 0;
    await db
      .updateTable("system_users")
      .set({
        status: outcome.status,
        last_error: outcome.error,
        ...(outcome.status === "applied" && { quota_enforced: enforced }),
      })
      .where("id", "=", r.id)
      .where("updated_at", "=", r.updated_at)
      .execute();
  }
}

/** Main users after `after` by id, a page at a time (what sysusers.usage walks). */
export const mainsAfter = (db: Kysely<Database>, after: string, limit: number) =>
  db
    .selectFrom("system_users")
    .selectAll()
    .where("kind", "=", "main")
    .where("id", ">", after)
    .orderBy("id")
    .limit(limit)
    .execute();

/** System users' names by id (audit events and task titles). */
export const systemUserNames = namesById("system_users", "name");

/** How many system users an account has (an account with any is not deleted). */
export async function countOfAccount(db: Kysely<Database>, accountId: string) {
  const row = await db
    .selectFrom("system_users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
