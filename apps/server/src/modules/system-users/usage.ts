// Disk usage of system users (docs/hosting.md#disk-usage): the recurring system task
// `sysusers.usage` (hourly) asks each node, one account at a time, what that account's system
// users hold there (the agent's sysusers.usage: a bounded walk of each home) and keeps each
// user's last figures; a node that cannot be reached is logged and skipped, the others
// measured. Read with the user (GET /system-users/{id}) and per account (its total).
import type { SysUsersUsageOutput, SysUserUsageFigures } from "@steward/contracts/hosting";
import { z } from "zod";
import { systemUsers as policy } from "../../access/policies/system-users.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { notFound } from "../../lib/errors.ts";
import { msToIso } from "../../lib/sql.ts";
import { accountExists } from "../accounts/repo.ts";
import * as repo from "./repo.ts";
import type { CallOperation } from "./tasks.ts";
import * as usage from "./usage-repo.ts";

export const SYSUSERS_USAGE = "sysusers.usage";
const none = z.strictObject({});
const PAGE = 100;
type Opts = Parameters<CallOperation>[3];

/** One account's users on one node, measured and recorded; answers how many. */
async function measure(deps: { db: Db; call: CallOperation }, main: repo.SystemUserRow, o: Opts) {
  const k = deps.db.db;
  const rows = (await repo.usersOn(k, main.account_id, main.node_id)).filter(
    (r) => r.status !== "deleting" && r.status !== "pending",
  );
  if (!rows.some((r) => r.id === main.id)) return 0;
  const input = { main: main.name, users: rows.map((r) => r.name) };
  const result = await deps.call(main.node_id, SYSUSERS_USAGE, input, o);
  if (result.status !== "ok")
    throw new Error(result.error?.message ?? `the node answered ${result.status}`);
  const out = result.output as SysUsersUsageOutput;
  for (const note of out.notes) o.onLog(`${main.name}: ${note}`, "info");
  const byName = new Map(out.users.map((u) => [u.name, u]));
  const measured = rows.flatMap((r) => {
    const u = byName.get(r.name);
    if (!u || u.home === null) return [];
    const { bytes, files, truncated } = u;
    return [{ systemUserId: r.id, accountId: r.account_id, bytes, files, truncated }];
  });
  await usage.recordUsage(k, measured, Date.now());
  return measured.length;
}

export function sysUsersUsageTask(deps: { db: Db; call: CallOperation }): HandlerDef<typeof none> {
  return {
    kind: SYSUSERS_USAGE,
    description:
      "asks every node what each account's system users hold in their homes and keeps the figures",
    payload: none,
    timeoutMs: 30 * 60_000,
    maxAttempts: 1,
    userCreatable: true,
    recurring: true,
    system: true,
    unique: () => "default",
    async run(ctx) {
      const o: Opts = {
        signal: ctx.signal,
        onLog: (line, level) => ctx.log[level](line),
        requestId: ctx.task.id,
      };
      let measured = 0;
      let failed = 0;
      let after = "";
      for (;;) {
        const mains = await repo.mainsAfter(deps.db.db, after, PAGE);
        for (const main of mains) {
          ctx.signal.throwIfAborted();
          try {
            measured += await measure(deps, main, o);
          } catch (error) {
            failed += 1;
            const why = error instanceof Error ? error.message : String(error);
            ctx.log.warn(`${main.name} on ${main.node_id}: ${why}`);
          }
        }
        if (mains.length < PAGE) break;
        after = mains.at(-1)?.id ?? after;
      }
      ctx.log.info(`measured ${measured} system user(s); ${failed} account(s) not reached`);
      return { measured, failed };
    },
  };
}

const figures = (r: {
  bytes: number | string;
  files: number | string;
  truncated: number | string;
  measured_at: number | string;
}): SysUserUsageFigures => ({
  bytes: Number(r.bytes),
  files: Number(r.files),
  measuredAt: msToIso(Number(r.measured_at)),
  truncated: Number(r.truncated) === 1,
});

export function createDiskUsageService({ db }: { db: Db }) {
  const k = db.db;
  return {
    /** A user's last measured usage (null: not measured yet). */
    async usageOf(id: string) {
      const row = await usage.usageOf(k, id);
      return row ? figures(row) : null;
    },

    /** The account's total (its main users' homes hold the rest) and each user's figures. */
    async accountDiskUsage(ctx: Ctx, accountId: string) {
      if (!(await accountExists(k, accountId)) || !policy.canListIn(ctx, accountId).allowed)
        throw notFound(`account ${accountId}`);
      const [users, rows] = await Promise.all([
        repo.usersOfAccount(k, accountId, repo.MAX_PER_ACCOUNT),
        usage.usageOfAccount(k, accountId, repo.MAX_PER_ACCOUNT),
      ]);
      const byUser = new Map(rows.map((r) => [r.system_user_id, figures(r)]));
      const list = users.map((u) => ({
        id: u.id,
        name: u.name,
        nodeId: u.node_id,
        kind: u.kind,
        usage: byUser.get(u.id) ?? null,
        ...repo.quotaOf(u),
      }));
      const mains = list.flatMap((u) => (u.kind === "main" && u.usage ? [u.usage] : []));
      const oldest = mains.map((u) => u.measuredAt).sort()[0] ?? null;
      return {
        accountId,
        bytes: mains.reduce((n, u) => n + u.bytes, 0),
        files: mains.reduce((n, u) => n + u.files, 0),
        measuredAt: oldest,
        truncated: mains.some((u) => u.truncated),
        users: list,
      };
    },
  };
}
