// The firewall's tasks (docs/firewall.md). firewall.apply sends the node's saved rules (the
// row as it is when the task runs), then confirms the apply by reaching the agent again over a
// new connection: when the new rules cut the panel off, no confirmation arrives and the agent
// puts the previous rules back by itself at revertAt. With autoConfirm off a person confirms
// (POST …/firewall/confirm) and the task passes it on. firewall.unblock takes an address out
// of the node's blocked set.
import {
  firewallApplyOutput,
  firewallConfirmOutput,
  firewallReadOutput,
  firewallUnblockOutput,
} from "@steward/contracts/agent";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerContext, type HandlerDef, PermanentError } from "../../engine/types.ts";
import type { CallOperation } from "../certificates/serve.ts";
import * as repo from "./repo.ts";

export const FIREWALL_APPLY = "firewall.apply";
export const FIREWALL_UNBLOCK = "firewall.unblock";

interface Deps {
  db: Db;
  call: CallOperation;
  /** the wait between two tries to reach the node after an apply, ms */
  retryMs?: number;
}

const applyPayload = z.strictObject({ nodeId: z.string() });
const unblockPayload = z.strictObject({ nodeId: z.string(), address: z.string() });

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });

const opts = (ctx: HandlerContext<unknown>, signal = ctx.signal) => ({
  signal,
  requestId: ctx.task.id,
  onLog: (line: string, level: "info" | "warn" | "error") => ctx.log[level](line),
});

function applyTask({ db, call, retryMs = 1000 }: Deps): HandlerDef<typeof applyPayload> {
  const k = db.db;
  /** After the revert time: whether the node answers again, and without the pending apply. */
  async function reportRevert(nodeId: string, ctx: HandlerContext<unknown>) {
    try {
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]);
      const read = await call(nodeId, "firewall.read", {}, opts(ctx, signal));
      const out = read.status === "ok" ? firewallReadOutput.parse(read.output) : null;
      ctx.log.info(
        out && !out.pending
          ? "the node answers again and runs the previous rules"
          : "the node answers, but still reports the apply as pending",
      );
    } catch (err) {
      ctx.log.warn(`the node does not answer yet: ${(err as Error).message}`);
    }
  }
  return {
    kind: FIREWALL_APPLY,
    description:
      "applies a node's saved firewall rules and confirms them once the panel reaches the node again (the node reverts by itself otherwise)",
    payload: applyPayload,
    // the longest confirmation window (600 s) and the apply
    timeoutMs: 15 * 60_000,
    maxAttempts: 3,
    backoff: { baseMs: 5_000, maxMs: 60_000 },
    concurrency: { key: (p) => `firewall:${p.nodeId}`, limit: 1 },
    system: true,
    async run(ctx) {
      const { nodeId } = ctx.task.payload;
      const row = await repo.findFirewall(k, nodeId);
      if (!row) {
        ctx.log.info("the node's firewall is no longer managed: nothing to do");
        return null;
      }
      const revision = Number(row.revision);
      const set = (patch: Parameters<typeof repo.updateRevision>[3]) =>
        repo.updateRevision(k, nodeId, revision, patch);
      const fail = async (status: "failed" | "reverted", message: string) => {
        ctx.log.error(message);
        await set({ status, message, revert_at: null });
        return new PermanentError(message);
      };
      ctx.log.info(`applying revision ${revision} of the firewall`);
      let result: Awaited<ReturnType<CallOperation>>;
      try {
        result = await call(
          nodeId,
          "firewall.apply",
          {
            rules: repo.rulesOf(row),
            confirmSeconds: Number(row.confirm_seconds),
            panelAddresses: row.panel_address ? [row.panel_address] : [],
          },
          opts(ctx),
        );
      } catch (err) {
        if (ctx.task.attempt >= ctx.task.maxAttempts)
          await set({ status: "failed", message: (err as Error).message });
        throw err;
      }
      if (result.status !== "ok") {
        const words = result.error?.message ?? `the node answered ${result.status}`;
        throw await fail("failed", `the node refused the rules: ${words}`);
      }
      const out = firewallApplyOutput.parse(result.output);
      const panelAddress = out.peer ?? row.panel_address;
      if (!out.pending) {
        await set({
          status: "applied",
          applied_revision: revision,
          message: "the node runs these rules already",
          panel_address: panelAddress,
        });
        ctx.log.info("nothing changed on the node");
        return { revision, changed: false };
      }
      const { token } = out.pending;
      const revertAt = Date.parse(out.pending.revertAt);
      const auto = Number(row.auto_confirm) === 1;
      await set({
        status: "pending",
        revert_at: revertAt,
        panel_address: panelAddress,
        message: auto
          ? "applied: confirming once the node answers again"
          : "applied: confirm before the node reverts",
      });
      ctx.log.info(`applied; the node reverts at ${out.pending.revertAt} unless confirmed`);
      while (Date.now() < revertAt - 500 && !ctx.signal.aborted) {
        if (!auto) {
          const now = await repo.findFirewall(k, nodeId);
          if (Number(now?.confirmed_revision) !== revision) {
            await sleep(250, ctx.signal);
            continue;
          }
        }
        const left = Math.max(1000, Math.min(5000, revertAt - Date.now()));
        try {
          const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(left)]);
          const answer = await call(nodeId, "firewall.confirm", { token }, opts(ctx, signal));
          const confirmed =
            answer.status === "ok" && firewallConfirmOutput.parse(answer.output).confirmed;
          if (confirmed) {
            await set({
              status: "applied",
              applied_revision: revision,
              revert_at: null,
              message: auto ? "applied and confirmed by the panel" : "applied and confirmed",
            });
            ctx.log.info("confirmed: the node keeps the new rules");
            return { revision, changed: true };
          }
          throw await fail(
            "reverted",
            "the node had put the previous rules back already: the confirmation came too late",
          );
        } catch (err) {
          if (err instanceof PermanentError) throw err;
          ctx.log.warn(`the node does not answer after the apply: ${(err as Error).message}`);
          await sleep(retryMs, ctx.signal);
        }
      }
      const when = new Date(revertAt).toISOString();
      await sleep(Math.max(0, revertAt - Date.now()) + 1000, ctx.signal);
      await reportRevert(nodeId, ctx);
      throw await fail(
        "reverted",
        auto
          ? `the panel could not reach the node after the apply: the new rules cut it off, and the node put the previous rules back by itself at ${when}`
          : `nobody confirmed by ${when}: the node put the previous rules back by itself`,
      );
    },
  };
}

function unblockTask({ db, call }: Deps): HandlerDef<typeof unblockPayload> {
  return {
    kind: FIREWALL_UNBLOCK,
    description: "takes an address out of a node's blocked set",
    payload: unblockPayload,
    timeoutMs: 5 * 60_000,
    maxAttempts: 3,
    backoff: { baseMs: 5_000, maxMs: 60_000 },
    concurrency: { key: (p) => `firewall:${p.nodeId}`, limit: 1 },
    system: true,
    async run(ctx) {
      const { nodeId, address } = ctx.task.payload;
      if (!(await repo.findFirewall(db.db, nodeId))) return null;
      const result = await call(nodeId, "firewall.unblock", { address }, opts(ctx));
      if (result.status !== "ok")
        throw new PermanentError(result.error?.message ?? `the node answered ${result.status}`);
      const { removed, unbanned } = firewallUnblockOutput.parse(result.output);
      ctx.log.info(
        removed || unbanned
          ? `${address} is ${removed ? "unblocked" : ""}${removed && unbanned ? " and " : ""}${unbanned ? "no longer banned" : ""}`
          : `${address} was not blocked on the node`,
      );
      return { removed, unbanned };
    },
  };
}

export function registerFirewallTasks(registry: Registry, deps: Deps) {
  registry.register(applyTask(deps));
  registry.register(unblockTask(deps));
}
