// The tasks that make a node match a site's desired state. Operations are only ever sent
// from here. A refused change (configuration test, verification) is final and says why; an
// agent that does not answer is retried with backoff.
import type { agent } from "@steward/contracts";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../tasks/registry.ts";
import { type HandlerDef, PermanentError } from "../../tasks/types.ts";
import * as repo from "./repo.ts";
import { applyInput } from "./rules.ts";
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
  name: "site.apply" | "site.remove",
  input: unknown,
  opts: { signal: AbortSignal; onLog: (line: string) => void; requestId: string },
) => Promise<agent.OpResult>;

const payload = z.strictObject({ siteId: z.string() });

/** The failure of an operation in one line a person can act on. */
function why(result: agent.OpResult): string {
  const message = result.error?.message ?? "the operation failed";
  const failed = result.steps.find((s) => !s.ok);
  // the step's last line of output, unless the message already says it (a refusal)
  const last = failed?.stderr.trim().split("\n").at(-1);
  const detail = failed
    ? ` (step ${failed.name}${last && !message.includes(last) ? `: ${last}` : ""})`
    : "";
  const rolled =
    result.status === "rolled_back"
      ? "; the previous configuration was restored and keeps serving"
      : "";
  return `${message}${detail}${rolled}`;
}

interface SiteTaskDeps {
  db: Db;
  call: CallOperation;
  /** the installation's outbound policy and the panel's own endpoints */
  settings: UpstreamSettings;
}

function siteTask(deps: SiteTaskDeps): HandlerDef<typeof payload> {
  const k = deps.db.db;
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
      const input = remove
        ? { id: row.id, user: row.system_user, keepFiles: Number(row.keep_files) === 1 }
        : applyInput(row, await policyForApply(k, deps.settings, row.node_id));
      ctx.log.info(
        `${remove ? "removing" : "applying"} ${row.primary_domain} on node ${row.node_id}`,
      );
      let result: agent.OpResult;
      try {
        result = await deps.call(row.node_id, remove ? "site.remove" : "site.apply", input, {
          signal: ctx.signal,
          onLog: (line) => ctx.log.info(line),
          requestId: ctx.task.id,
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const last = ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError;
        await repo.updateSite(k, row.id, {
          last_error: message,
          ...(last ? { status: "failed" } : {}),
        });
        throw err;
      }
      for (const s of result.steps)
        ctx.log.info(
          `step ${s.name}: ${s.ok ? "ok" : "failed"}${s.command ? ` (${s.command.join(" ")}, exit ${s.exitCode})` : ""} ${s.durationMs} ms`,
        );
      if (result.status !== "ok") {
        const message = why(result);
        await repo.updateSite(k, row.id, { status: "failed", last_error: message });
        throw new PermanentError(message);
      }
      if (remove) {
        await repo.deleteSite(k, row.id);
        ctx.log.info("removed");
        return { changed: result.changed };
      }
      // A change made while this ran has its own task (queued behind this one): leave it pending.
      await repo.markApplied(k, row.id, version, Number(row.suspended) !== 0);
      ctx.log.info(result.changed ? "applied" : "already as asked: nothing changed");
      return { changed: result.changed, output: result.output ?? null };
    },
  };
}

export function registerSiteTasks(registry: Registry, deps: SiteTaskDeps) {
  registry.register(siteTask(deps));
}
