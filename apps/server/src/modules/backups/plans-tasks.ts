// The backup tasks. `backup.plan` (recurring, the plan's schedule) starts the plan's runs;
// `backup.run` asks the node that reads one source for the agent operation backup.run
// (run-input.ts: the source, the destinations, what retention deletes), turns its progress
// lines into the task's progress, and records the outcome (run-finish.ts).
import type { agent } from "@steward/contracts";
import { backupRunOutput, describeProgress, parseBackupProgress } from "@steward/contracts/backups";
import { z } from "zod";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import { findServer } from "../databases/repo.ts";
import { findPlan, idsOf } from "./plans-repo.ts";
import { BACKUP_PLAN, BACKUP_RUN, startRuns } from "./plans-runs.ts";
import { finish, record } from "./run-finish.ts";
import { type BackupTaskDeps, destinationsOf, pruneOf, specOf } from "./run-input.ts";
import * as runs from "./runs-repo.ts";
import { findSource } from "./sources-repo.ts";

export type { BackupTaskDeps, CallBackup } from "./run-input.ts";

const runPayload = z.strictObject({
  runId: z.string(),
  nodeId: z.string(),
  concurrency: z.number().int().min(1).max(16),
});
const planPayload = z.strictObject({ planId: z.string() });

function runTask(deps: BackupTaskDeps): HandlerDef<typeof runPayload> {
  const k = deps.db.db;
  return {
    kind: BACKUP_RUN,
    description:
      "backs up one source of a plan on the node that reads it, into the plan's destinations",
    payload: runPayload,
    timeoutMs: 6 * 3600_000,
    maxAttempts: 1,
    concurrency: { key: (p) => `node:${p.nodeId}`, limit: (p) => p.concurrency },
    async run(ctx) {
      const run = await runs.findRun(k, ctx.task.payload.runId);
      const plan = run && (await findPlan(k, run.plan_id));
      const source = run && (await findSource(k, run.source_id));
      if (!run || !plan || !source) {
        if (run)
          await finish(deps, ctx, run, plan, {
            status: "failed",
            error: "the plan or its source was deleted",
            outcomes: [],
          });
        ctx.log.info("the run, its plan or its source no longer exists: nothing to do");
        return null;
      }
      if (source.kind === "steward")
        return (await import("./plans-self.ts")).runSteward(deps, ctx, run, plan);
      const nodeId = source.node_id;
      if (!nodeId) {
        await finish(deps, ctx, run, plan, {
          status: "failed",
          error: "the source is read on no node",
          outcomes: [],
        });
        throw new PermanentError("the source is read on no node");
      }
      await runs.updateRun(k, run.id, { status: "running", started_at: Date.now() });
      const server = source.server_id ? await findServer(k, source.server_id) : undefined;
      const prepared = await destinationsOf(deps, plan, nodeId);
      for (const r of prepared.refused)
        ctx.log.error(`destination ${prepared.names[r.id] ?? r.id}: ${r.error}`);
      if (prepared.destinations.length === 0) {
        const error = "no destination can take the artifact";
        await finish(deps, ctx, run, plan, { status: "failed", error, outcomes: prepared.refused });
        throw new PermanentError(error);
      }
      const now = Date.now();
      const prune = await pruneOf(
        deps,
        plan,
        run,
        prepared.destinations.map((d) => d.id),
        now,
      );
      const expected = await runs.lastSourceBytes(k, {
        planId: plan.id,
        sourceId: source.id,
        description: run.description,
      });
      const input = {
        runId: run.id,
        artifact: run.artifact,
        source: specOf(source, run.description, deps.secrets, server),
        compressionLevel: Number(plan.compression_level),
        recipients: idsOf(plan.recipients),
        destinations: prepared.destinations,
        planId: plan.id,
        prune: prune.map(({ destinationId, names }) => ({ destinationId, names })),
      };
      ctx.log.info(`backing up ${run.description} on node ${nodeId}`);
      let result: agent.OpResult;
      try {
        result = await deps.call(nodeId, "backup.run", input, {
          signal: ctx.signal,
          requestId: ctx.task.id,
          onLog: (line, level) => {
            const progress = parseBackupProgress(line);
            if (!progress) return ctx.log[level](line);
            const fraction = expected ? Math.min(0.99, progress.sourceBytes / Number(expected)) : 0;
            void ctx.progress(fraction, describeProgress(progress, prepared.names));
          },
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await finish(deps, ctx, run, plan, {
          status: "failed",
          error: message,
          outcomes: prepared.refused,
        });
        throw error;
      }
      if (result.status !== "ok") {
        const error = result.error?.message ?? `the operation ${result.status}`;
        await finish(deps, ctx, run, plan, { status: "failed", error, outcomes: prepared.refused });
        throw new PermanentError(error);
      }
      return record(deps, ctx, run, plan, prepared, prune, backupRunOutput.parse(result.output));
    },
  };
}

function planTask(deps: BackupTaskDeps): HandlerDef<typeof planPayload> {
  return {
    kind: BACKUP_PLAN,
    description: "starts the runs of a backup plan on its schedule",
    payload: planPayload,
    timeoutMs: 60_000,
    maxAttempts: 3,
    recurring: true,
    unique: (p) => p.planId,
    async run(ctx) {
      const plan = await findPlan(deps.db.db, ctx.task.payload.planId);
      if (!plan || Number(plan.enabled) !== 1) {
        ctx.log.info("the plan no longer exists or is disabled: nothing to do");
        return null;
      }
      const started = await deps.db.db
        .transaction()
        .execute((trx) => startRuns(trx, deps.enqueue, plan, null));
      ctx.log.info(`started ${started.length} run(s)`);
      return { runs: started.map((r) => r.runId) };
    },
  };
}

export function registerBackupTasks(registry: Registry, deps: BackupTaskDeps) {
  registry.register(runTask(deps));
  registry.register(planTask(deps));
}
