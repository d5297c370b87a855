// sysusers.apply: makes a node hold an account's system users as their rows say (the main
// user, its CGI user, secondary users; "deleting" rows removed, or the whole account when
// its main user is being deleted). One task kind per account and node (its concurrency key),
// every run sending the rows as they are then, so a change while one waits reuses it. An
// agent that does not answer is retried; a refusal is final and recorded on the rows.
import type { agent } from "@steward/contracts";
import { QUOTA_NOT_ENFORCED, type SysUsersApplyInput } from "@steward/contracts/hosting";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import * as repo from "./repo.ts";
import { sysUsersUsageTask } from "./usage.ts";

export const SYSUSERS_APPLY = "sysusers.apply";

export type CallOperation = (
  nodeId: string,
  name: agent.OperationName,
  input: unknown,
  opts: {
    signal: AbortSignal;
    onLog: (line: string, level: "info" | "warn" | "error") => void;
    requestId: string;
  },
) => Promise<agent.OpResult>;

const payload = z.strictObject({ accountId: z.string(), nodeId: z.string() });

const spec = (r: repo.SystemUserRow) => ({
  name: r.name,
  shell: r.shell,
  ftp: Number(r.ftp) === 1,
  keys: JSON.parse(r.ssh_keys) as string[],
  passwordHash: r.password_hash,
  // null: the panel never asked a quota, the node's is left as it is; 0: no limit
  ...(r.quota_mb === null ? {} : { quotaMb: Number(r.quota_mb) }),
});

/** The operation's input for the rows of an account on a node (null: nothing to do). */
export function applyInput(
  accountId: string,
  rows: repo.SystemUserRow[],
): SysUsersApplyInput | null {
  const main = rows.find((r) => r.kind === "main");
  if (!main) return null;
  const secondary = rows.filter((r) => r.kind === "secondary");
  return {
    id: accountId,
    present: main.status !== "deleting",
    main: spec(main),
    secondary: secondary
      .filter((r) => r.status !== "deleting")
      .map((r) => ({ ...spec(r), home: r.home })),
    remove: secondary.filter((r) => r.status === "deleting").map((r) => r.name),
    deleteFiles: Number(main.delete_files) === 1,
  };
}

function applyTask({ db, call }: { db: Db; call: CallOperation }): HandlerDef<typeof payload> {
  const k = db.db;
  return {
    kind: SYSUSERS_APPLY,
    description: "makes a node hold an account's system users (SFTP, FTP, CGI user) as asked",
    payload,
    timeoutMs: 10 * 60_000,
    maxAttempts: 5,
    backoff: { baseMs: 5_000, maxMs: 300_000 },
    concurrency: { key: (p) => `sysusers:${p.accountId}:${p.nodeId}`, limit: 1 },
    async run(ctx) {
      const { accountId, nodeId } = ctx.task.payload;
      const rows = await repo.usersOn(k, accountId, nodeId);
      const input = applyInput(accountId, rows);
      if (!input) {
        ctx.log.info("the account has no system users on this node: nothing to do");
        return null;
      }
      ctx.log.info(
        `${input.present ? "applying" : "removing"} ${input.main.name} and ${input.secondary.length} secondary user(s)`,
      );
      let result: agent.OpResult;
      try {
        result = await call(nodeId, "sysusers.apply", input, {
          signal: ctx.signal,
          onLog: (line, level) => ctx.log[level](line),
          requestId: ctx.task.id,
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError)
          await repo.settle(k, rows, { status: "failed", error: message });
        throw err;
      }
      for (const s of result.steps)
        ctx.log[s.ok ? "info" : "error"](
          `step ${s.name}: ${s.ok ? "ok" : "FAILED"} ${s.durationMs} ms`,
        );
      if (result.status !== "ok") {
        const message = result.error?.message ?? `the node answered ${result.status}`;
        await repo.settle(k, rows, { status: "failed", error: message });
        throw new PermanentError(message);
      }
      const out = result.output as agent.OpOutput<"sysusers.apply">;
      await repo.settle(k, rows, {
        status: "applied",
        error: null,
        ...(out.quota && { quota: out.quota }),
      });
      for (const note of out.notes) ctx.log.warn(note);
      ctx.log.info(result.changed ? "applied" : "already as asked: nothing changed");
      if (out.quota === "unsupported") ctx.log.warn(`quota: ${QUOTA_NOT_ENFORCED}`);
      return { changed: result.changed, root: out.root, notes: out.notes };
    },
  };
}

export function registerSystemUserTasks(registry: Registry, deps: { db: Db; call: CallOperation }) {
  registry.register(applyTask(deps));
  registry.register(sysUsersUsageTask(deps));
}
