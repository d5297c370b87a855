// The backup tasks. `backup.plan` (recurring, the plan's schedule) starts the plan's runs;
// `backup.run` asks the node that reads one source for the agent operation backup.run with
// the destinations' settings (secrets opened for this call only, hosts judged by the outbound
// policy first) and what retention deletes once the run succeeded, turns its progress lines
// into the task's progress, and records the run, its artifacts and its event together.
import type { agent } from "@steward/contracts";
import {
  type BackupOutcome,
  type BackupRunOutput,
  type BackupSourceSpec,
  backupRunOutput,
  describeProgress,
  parseBackupProgress,
  retentionPolicy,
} from "@steward/contracts/backups";
import { z } from "zod";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import {
  type HandlerContext,
  type HandlerDef,
  PermanentError,
  type TaskRow,
  type TaskSpec,
} from "../../engine/types.ts";
import { newId } from "../../lib/ids.ts";
import { refuseFields } from "../../lib/outbound.ts";
import { targetOf } from "../databases/access.ts";
import { findServer } from "../databases/repo.ts";
import { monitorPolicy } from "../monitors/policy.ts";
import { destinationTargets, openedSettings } from "./destination-test.ts";
import { recordRunEvent } from "./events.ts";
import { findPlan, idsOf, type PlanRow } from "./plans-repo.ts";
import { BACKUP_PLAN, BACKUP_RUN, startRuns } from "./plans-runs.ts";
import { findDestination } from "./repo.ts";
import { retain } from "./retention.ts";
import * as runs from "./runs-repo.ts";
import { findSource, type SourceRow } from "./sources-repo.ts";

type PolicySettings = Parameters<typeof monitorPolicy>[0];

export type CallBackup = (
  nodeId: string,
  name: "backup.run",
  input: unknown,
  opts: {
    signal: AbortSignal;
    onLog: (line: string, level: "info" | "warn" | "error") => void;
    requestId: string;
  },
) => Promise<agent.OpResult>;

export interface BackupTaskDeps {
  db: Db;
  secrets: Secrets;
  settings: PolicySettings;
  call: CallBackup;
  enqueue: (
    spec: TaskSpec,
    trx: import("kysely").Kysely<import("../../db/schema.ts").Database>,
  ) => Promise<{ task: TaskRow }>;
}

const runPayload = z.strictObject({
  runId: z.string(),
  nodeId: z.string(),
  concurrency: z.number().int().min(1).max(16),
});
const planPayload = z.strictObject({ planId: z.string() });

/** What the agent reads for this run (a server source: the run's database). */
function specOf(
  source: SourceRow,
  description: string,
  secrets: Secrets,
  server: Parameters<typeof targetOf>[0] | undefined,
): BackupSourceSpec {
  const spec = JSON.parse(source.spec) as {
    path: string;
    excludes: string[];
    database: string | null;
  };
  switch (source.kind) {
    case "files":
      return { kind: "files", path: spec.path, excludes: spec.excludes };
    case "mongodb":
      return {
        kind: "mongodb",
        uri: secrets.open(source.secret_sealed ?? ""),
        database: spec.database,
      };
    case "database":
    case "server": {
      if (!server) throw new PermanentError("the source's database server no longer exists");
      return {
        kind: "database",
        engine: server.engine,
        server: targetOf(server, secrets).target,
        database: description,
      };
    }
  }
}

interface Prepared {
  destinations: { id: string; settings: unknown }[];
  /** destinations refused before the run (missing, outbound policy, another node's directory) */
  refused: BackupOutcome[];
  names: Record<string, string>;
}

async function destinationsOf(
  deps: BackupTaskDeps,
  plan: PlanRow,
  nodeId: string,
): Promise<Prepared> {
  const out: Prepared = { destinations: [], refused: [], names: {} };
  const refuse = (id: string, error: string) =>
    out.refused.push({ id, written: 0, bytes: null, sha256: null, error });
  for (const id of idsOf(plan.destination_ids)) {
    const row = await findDestination(deps.db.db, id);
    if (!row) {
      refuse(id, "the destination was deleted");
      continue;
    }
    out.names[id] = row.name;
    const settings = openedSettings(row, deps.secrets);
    if (settings.kind === "local" && settings.nodeId !== nodeId) {
      refuse(id, `a directory of node ${settings.nodeId}, not of the node that reads the source`);
      continue;
    }
    const refused = await refuseFields(
      destinationTargets(settings),
      monitorPolicy(deps.settings, row.account_id),
    );
    if (refused) refuse(id, `${refused.field}: ${refused.message}`);
    else out.destinations.push({ id, settings });
  }
  return out;
}

/** Retention per destination, counting this run's artifact as stored: what to delete. */
async function pruneOf(
  deps: BackupTaskDeps,
  plan: PlanRow,
  run: runs.RunRow,
  destinationIds: string[],
  now: number,
) {
  const policy = retentionPolicy.parse(JSON.parse(plan.retention));
  const chosen: { destinationId: string; names: string[]; ids: Map<string, string> }[] = [];
  for (const destinationId of destinationIds) {
    const stored = await runs.storedArtifacts(deps.db.db, {
      planId: plan.id,
      sourceId: run.source_id,
      description: run.description,
      destinationId,
    });
    const artifacts = [
      { id: "this run", createdAt: now, good: true },
      ...stored.map((a) => ({ id: a.id, createdAt: Number(a.created_at), good: true })),
    ];
    const { delete: doomed } = retain(artifacts, policy, now, plan.time_zone);
    const byId = new Map(stored.map((a) => [a.id, a.name]));
    const ids = new Map(
      doomed.flatMap((id) => (byId.has(id) ? [[byId.get(id) as string, id] as const] : [])),
    );
    if (ids.size > 0) chosen.push({ destinationId, names: [...ids.keys()], ids });
  }
  return chosen;
}

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
      const output = backupRunOutput.parse(result.output);
      const outcomes = [...output.destinations, ...prepared.refused];
      const status =
        output.status === "succeeded" && prepared.refused.length > 0 ? "partial" : output.status;
      const deleted = output.pruned.flatMap((p) => {
        const ids = prune.find((c) => c.destinationId === p.destinationId)?.ids;
        return p.names.flatMap((name) => (ids?.has(name) ? [ids.get(name) as string] : []));
      });
      await finish(deps, ctx, run, plan, {
        status,
        error: output.error ?? firstError(outcomes),
        outcomes,
        output,
        deleted,
      });
      if (status === "failed")
        throw new PermanentError(output.error ?? firstError(outcomes) ?? "the backup failed");
      return { status, bytes: output.metadata?.bytes ?? null, pruned: deleted.length };
    },
  };
}

const firstError = (outcomes: BackupOutcome[]) =>
  outcomes.find((o) => o.error !== null)?.error ?? null;

interface Finished {
  status: "succeeded" | "partial" | "failed";
  error: string | null;
  outcomes: BackupOutcome[];
  output?: BackupRunOutput;
  deleted?: string[];
}

/** The run's row, its artifacts, what retention deleted and its event, in one transaction. */
async function finish(
  deps: BackupTaskDeps,
  ctx: Pick<HandlerContext<unknown>, "log">,
  run: runs.RunRow,
  plan: PlanRow | undefined,
  f: Finished,
) {
  const now = Date.now();
  const metadata = f.output?.metadata ?? null;
  await deps.db.db.transaction().execute(async (trx) => {
    await runs.updateRun(trx, run.id, {
      status: f.status,
      error: f.error?.slice(0, 2000) ?? null,
      outcomes: runs.outcomesJson(f.outcomes),
      source_bytes: metadata?.sourceBytes ?? null,
      bytes: metadata?.bytes ?? null,
      finished_at: now,
    });
    if (metadata)
      await runs.insertArtifacts(
        trx,
        f.outcomes
          .filter((o) => o.error === null)
          .map((o) => ({
            id: newId(runs.ARTIFACT_ID, now),
            account_id: run.account_id,
            run_id: run.id,
            plan_id: run.plan_id,
            source_id: run.source_id,
            destination_id: o.id,
            name: run.artifact,
            bytes: metadata.bytes,
            sha256: metadata.sha256,
            source_description: run.description,
            verified: 0,
            verified_at: null,
            deleted_at: null,
            created_at: now,
          })),
      );
    await runs.markDeleted(trx, f.deleted ?? [], now);
    if (plan)
      await recordRunEvent(trx, plan, run, {
        status: f.status,
        bytes: metadata?.bytes ?? null,
        error: f.error,
      });
  });
  ctx.log[f.status === "succeeded" ? "info" : "error"](
    `backup ${f.status}${f.error ? `: ${f.error}` : ""}${f.deleted?.length ? ` (retention deleted ${f.deleted.length} older artifact(s))` : ""}`,
  );
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
