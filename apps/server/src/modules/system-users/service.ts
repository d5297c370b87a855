// System users of hosting accounts on nodes (issue 19, docs/hosting.md): an account's admins
// create its main user on a node (the owner of its files; its CGI user `<name>-cgi` comes
// with it), secondary users with homes inside the account's home, change their shell access,
// FTP, SSH keys and password, and delete them; its readers see them. Passwords are hashed
// here (SHA-512 crypt) and only the hash is kept and sent. Every change is a row first, then
// the account's sysusers.apply task on the node (tasks.ts), which makes the node match.
import type { SysUserCreate, SysUserUpdate } from "@steward/contracts/hosting";
import type { Kysely } from "kysely";
import { enforce } from "../../access/decision.ts";
import { systemUsers as policy } from "../../access/policies/system-users.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { sha512Crypt } from "../../lib/sha512-crypt.ts";
import { requireAccount } from "../accounts/require.ts";
import { userHasJobs } from "../cron/repo.ts";
import { usableNode } from "../nodes/usable.ts";
import { usesMainUser } from "../sites/repo.ts";
import * as repo from "./repo.ts";
import { SYSUSERS_APPLY } from "./tasks.ts";
import { createDiskUsageService } from "./usage.ts";

interface Deps {
  db: Db;
  engine: Engine;
}

/** What an audit event says of a user (never a hash). */
const described = (
  r: Pick<repo.SystemUserRow, "name" | "kind" | "shell" | "ftp" | "home" | "quota_mb">,
) => ({
  name: r.name,
  kind: r.kind,
  shell: r.shell,
  ftp: Number(r.ftp) === 1,
  home: r.home,
  quotaMb: r.quota_mb ? Number(r.quota_mb) : null,
});

export function createSystemUsersService({ db, engine }: Deps) {
  const k = db.db;
  const disk = createDiskUsageService({ db });

  async function mustFind(ctx: Ctx, id: string) {
    const row = await repo.findUser(k, id);
    if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`system user ${id}`);
    return row;
  }

  /** The account's main user on the node (the apply task's target), or null. */
  const mainOf = async (d: Kysely<Database>, accountId: string, nodeId: string) =>
    (await repo.usersOn(d, accountId, nodeId)).find((r) => r.kind === "main") ?? null;

  /** Queues the account's apply on the node (a waiting one is reused); marks the row's task. */
  async function enqueueApply(trx: Kysely<Database>, row: repo.SystemUserRow) {
    const main = await mainOf(trx, row.account_id, row.node_id);
    const { task } = await engine.enqueue(
      {
        kind: SYSUSERS_APPLY,
        payload: { accountId: row.account_id, nodeId: row.node_id },
        target: { type: "system-user", id: main?.id ?? row.id },
        accountId: row.account_id,
        bringForward: true,
      },
      trx,
    );
    await repo.updateUser(trx, row.id, { task_id: task.id });
    return task.id;
  }

  const audit = (
    d: Kysely<Database>,
    ctx: Ctx,
    verb: string,
    row: repo.SystemUserRow,
    diff: unknown,
  ) =>
    recordAudit(d, ctx, {
      action: `system-user.${verb}`,
      targetType: "system-user",
      targetId: row.id,
      accountId: row.account_id,
      diff,
    });

  const fresh = async (id: string) =>
    repo.toSysUser((await repo.findUser(k, id)) as repo.SystemUserRow);

  return {
    mustFind,

    async list(ctx: Ctx, accountId: string) {
      if (!policy.canListIn(ctx, accountId).allowed) throw notFound(`account ${accountId}`);
      return (await repo.usersOfAccount(k, accountId, repo.MAX_PER_ACCOUNT)).map(repo.toSysUser);
    },

    async get(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      return { ...repo.toSysUser(row), usage: await disk.usageOf(row.id) };
    },

    accountDiskUsage: disk.accountDiskUsage,

    async create(ctx: Ctx, input: SysUserCreate) {
      if (!policy.canListIn(ctx, input.account).allowed) throw notFound(`account ${input.account}`);
      enforce(ctx, policy.canCreateIn(ctx, input.account));
      await requireAccount(k, input.account, "account");
      await usableNode(k, input.node);
      if (input.ftp && !input.password)
        throw invalid("password", "FTP needs a password (FTP logins cannot use keys)");
      const on = await repo.usersOn(k, input.account, input.node);
      const main = on.find((r) => r.kind === "main");
      if (input.kind === "main" && main)
        throw conflict(`the account has a main user on this node already (${main.name})`, "kind");
      if (input.kind === "secondary") {
        if (!main || main.status === "deleting")
          throw conflict("create the account's main user on this node first", "kind");
        if (
          on.some((r) => r.kind === "secondary" && r.home === input.home && r.status !== "deleting")
        )
          throw conflict("another user of the account has this home", "home");
      }
      if (await repo.nameTaken(k, input.node, input.name))
        throw conflict("this name is taken on the node: choose another", "name");
      if (on.length >= repo.MAX_PER_ACCOUNT)
        throw conflict(
          `an account keeps at most ${repo.MAX_PER_ACCOUNT} system users per node`,
          "account",
        );
      const now = Date.now();
      const row: repo.SystemUserRow = {
        id: newId("sysu"),
        account_id: input.account,
        node_id: input.node,
        kind: input.kind,
        name: input.name,
        home: input.kind === "secondary" ? input.home : "",
        shell: input.shell,
        ftp: input.ftp ? 1 : 0,
        ssh_keys: JSON.stringify(input.keys),
        password_hash: input.password ? sha512Crypt(input.password) : null,
        // absent: the node's quota is left alone; null or 0: no limit
        quota_mb: input.quotaMb === undefined ? null : (input.quotaMb ?? 0),
        quota_enforced: null,
        status: "pending",
        delete_files: 0,
        last_error: null,
        task_id: null,
        created_at: now,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertUser(trx, row);
        await enqueueApply(trx, row);
        await audit(trx, ctx, "create", row, {
          after: { ...described(row), keys: input.keys.length },
        });
      });
      return fresh(row.id);
    },

    async update(ctx: Ctx, id: string, input: SysUserUpdate) {
      const row = await mustFind(ctx, id);
      enforce(ctx, policy.canManage(ctx, row));
      if (row.status === "deleting") throw conflict("the user is being deleted");
      const password_hash =
        input.password === undefined
          ? row.password_hash
          : input.password === null
            ? null
            : sha512Crypt(input.password);
      const ftp = input.ftp ?? Number(row.ftp) === 1;
      if (ftp && !password_hash)
        throw invalid("password", "FTP needs a password (FTP logins cannot use keys)");
      const next = {
        shell: input.shell ?? row.shell,
        ftp: ftp ? 1 : 0,
        ssh_keys: input.keys ? JSON.stringify(input.keys) : row.ssh_keys,
        password_hash,
        ...(input.quotaMb !== undefined && {
          quota_mb: input.quotaMb ?? 0,
          // the node's answer stands while the limit is the same; a new one waits for the next
          quota_enforced:
            row.quota_mb !== null && Number(row.quota_mb) === (input.quotaMb ?? 0)
              ? row.quota_enforced
              : null,
        }),
        status: "pending" as const,
        updated_at: Math.max(Date.now(), Number(row.updated_at) + 1),
      };
      await k.transaction().execute(async (trx) => {
        await repo.updateUser(trx, id, next);
        await enqueueApply(trx, row);
        await audit(trx, ctx, "update", row, {
          before: described(row),
          after: {
            ...described({ ...row, ...next }),
            ...(input.keys ? { keys: input.keys.length } : {}),
            ...(input.password !== undefined
              ? { password: input.password === null ? "(removed)" : "(changed)" }
              : {}),
          },
        });
      });
      return fresh(id);
    },

    /** Deletes the user on its node (confirm: its name); a main user goes last, its files when asked. */
    async remove(ctx: Ctx, id: string, confirm: string, deleteFiles: boolean) {
      const row = await mustFind(ctx, id);
      enforce(ctx, policy.canManage(ctx, row));
      if (confirm !== row.name) throw invalid("confirm", "must be the user's name");
      if (await userHasJobs(k, row.id))
        throw conflict("the user runs cron jobs: delete them first");
      if (row.kind === "main") {
        // its files and its CGI user are what the account's sites in its layout run on
        if (await usesMainUser(k, row.account_id, row.node_id, row.name))
          throw conflict(
            "the account's sites on this node live in this user's home: delete them first",
          );
        const others = (await repo.usersOn(k, row.account_id, row.node_id)).filter(
          (r) => r.kind === "secondary" && r.status !== "deleting",
        );
        if (others.length)
          throw conflict(
            `delete the account's ${others.length} secondary user(s) on this node first`,
          );
      }
      await k.transaction().execute(async (trx) => {
        await repo.updateUser(trx, id, {
          status: "deleting",
          delete_files: row.kind === "main" && deleteFiles ? 1 : 0,
          updated_at: Math.max(Date.now(), Number(row.updated_at) + 1),
        });
        await enqueueApply(trx, row);
        await audit(trx, ctx, "delete", row, { before: described(row), deleteFiles });
      });
      return fresh(id);
    },
  };
}

export type SystemUsersService = ReturnType<typeof createSystemUsersService>;
