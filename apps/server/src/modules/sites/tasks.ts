// The tasks that make a node match a site's desired state. Operations are only ever sent
// from here. A refused change (configuration test, verification) is final and says why; an
// agent that does not answer is retried with backoff. A change that failed for good marks the
// site failed and records a site.failed event, in one transaction.
import type { agent } from "@steward/contracts";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import { deleteCertificateOfSite, hstsOfSite } from "../certificates/repo.ts";
import { siteFailed } from "../events/producers.ts";
import { nodeNames } from "../nodes/repo.ts";
import { forgetSite as forgetFtpsSite } from "../system-users/ftp-tls-repo.ts";
import { moveFailed } from "./layout.ts";
import { failureMessage, warningOf } from "./outcome.ts";
import * as repo from "./repo.ts";
import { applyInput, removeInput } from "./rules.ts";
import { phpSettingsOf, protectionOf } from "./settings-repo.ts";
import { policyForApply, type UpstreamSettings } from "./upstream.ts";

/**
 * One kind for every change, so the engine's per-kind concurrency key keeps it to one task at
 * a time per site: the task makes the node match the row — created, changed, suspended, or
 * removed when the row says "deleting".
 */
export const SITE_APPLY = "site.apply";

/** Sends one operation to a node and returns its result; throws when the node cannot be reached. */
export type CallOperation = (
  nodeId: string,
  name: "site.apply" | "site.remove" | "site.migrate-layout",
  input: unknown,
  opts: {
    signal: AbortSignal;
    onLog: (line: string, level: "info" | "warn" | "error") => void;
    requestId: string;
  },
) => Promise<agent.OpResult>;

const payload = z.strictObject({ siteId: z.string() });

interface SiteTaskDeps {
  db: Db;
  call: CallOperation;
  /** the installation's outbound policy and the panel's own endpoints */
  settings: UpstreamSettings;
}

function siteTask(deps: SiteTaskDeps): HandlerDef<typeof payload> {
  const k = deps.db.db;
  /** The site failed for good: its row says so and its event is recorded, together. */
  const failed = (row: repo.SiteRow, nodeName: string | null, message: string) =>
    k.transaction().execute(async (trx) => {
      await repo.updateSite(trx, row.id, { status: "failed", last_error: message });
      await siteFailed(trx, row, nodeName, message);
    });
  return {
    kind: SITE_APPLY,
    description: "makes a website's node match it: creates, changes, suspends or removes it",
    payload,
    timeoutMs: 10 * 60_000,
    maxAttempts: 5,
    backoff: { baseMs: 5_000, maxMs: 300_000 },
    concurrency: { key: (p) => `site:${p.siteId}`, limit: 1 },
    async run(ctx) {
      const row = await repo.findSite(k, ctx.task.payload.siteId);
      if (!row) {
        ctx.log.info("the site no longer exists: nothing to do");
        return null;
      }
      const version = row.desired_version;
      const remove = row.status === "deleting";
      // asked to move into the account's layout and not moved yet: the move is this apply
      const move = !remove && row.layout === "account" && row.applied_layout !== "account";
      const siteInput = remove
        ? removeInput(row)
        : applyInput(
            row,
            await policyForApply(k, deps.settings, row.node_id, row.account_id),
            await hstsOfSite(k, row.id),
            { protection: await protectionOf(k, row.id), php: await phpSettingsOf(k, row.id) },
          );
      const input = move ? { id: row.id, site: siteInput, fromUser: row.system_user } : siteInput;
      const op = remove ? "site.remove" : move ? "site.migrate-layout" : "site.apply";
      const nodeName = (await nodeNames.of(k, [row.node_id])).get(row.node_id) ?? null;
      const node = nodeName ?? row.node_id;
      const doing = remove ? "removing" : move ? "moving into its account's layout" : "applying";
      ctx.log.info(`${doing} ${row.primary_domain} on node ${node}`);
      let result: agent.OpResult;
      try {
        result = await deps.call(row.node_id, op, input, {
          signal: ctx.signal,
          onLog: (line, level) => ctx.log[level](line),
          requestId: ctx.task.id,
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const last = ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError;
        if (last) await failed(row, nodeName, message);
        else await repo.updateSite(k, row.id, { last_error: message });
        throw err;
      }
      for (const s of result.steps)
        ctx.log[s.ok ? "info" : "error"](
          `step ${s.name}: ${s.ok ? "ok" : "FAILED"}${s.command ? ` (${s.command.join(" ")}, exit ${s.exitCode})` : ""} ${s.durationMs} ms`,
        );
      if (result.status !== "ok" && move) {
        // moved back on the node: the site serves from its own home as before, and says why
        const message = `the move into the account's layout failed: ${failureMessage(result, true)}`;
        await moveFailed(k, row, message);
        throw new PermanentError(message);
      }
      if (result.status !== "ok") {
        const message = failureMessage(result, Number(row.applied_version) > 0);
        await failed(row, nodeName, message);
        throw new PermanentError(message);
      }
      if (move) await repo.updateSite(k, row.id, { applied_layout: "account" });
      if (remove) {
        await k.transaction().execute(async (trx) => {
          await deleteCertificateOfSite(trx, row.id);
          await forgetFtpsSite(trx, row.id);
          await repo.deleteSite(trx, row.id);
        });
        ctx.log.info("removed");
        return { changed: result.changed };
      }
      const warning = warningOf(result);
      if (warning) ctx.log.warn(warning);
      // A change made while this ran has its own task (queued behind this one): leave it pending.
      await repo.markApplied(k, row.id, version, Number(row.suspended) !== 0, warning);
      ctx.log.info(result.changed ? "applied" : "already as asked: nothing changed");
      return { changed: result.changed, output: result.output ?? null };
    },
  };
}

export function registerSiteTasks(registry: Registry, deps: SiteTaskDeps) {
  registry.register(siteTask(deps));
}
