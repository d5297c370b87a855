// The tasks of test restores. `backup.verify` asks the node that reaches the artifact's
// database server for backup.verify (a throwaway database, row counts compared) or, for files,
// reads the whole artifact back as a dry run (SHA-256, every chunk, the tar), and records the
// outcome on the artifact with its event (backup.verified / backup.verify_failed);
// `backup.verify-plan` (recurring, a plan's verify schedule) starts the test restores of the
// newest unverified artifact of each thing the plan backs up.
import { backupRestoreOutput, backupVerifyOutput } from "@steward/contracts/backups";
import { z } from "zod";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import { targetOf } from "../databases/access.ts";
import { callOp, openArtifact } from "./artifact-call.ts";
import { recordVerifyEvent } from "./events.ts";
import { findPlan } from "./plans-repo.ts";
import { contentOf, destinationNode, sourceServerOf } from "./restore-target.ts";
import type { BackupTaskDeps } from "./run-input.ts";
import * as runs from "./runs-repo.ts";
import { findSource } from "./sources-repo.ts";
import { readerNodeOf } from "./sources-service.ts";

export const BACKUP_VERIFY = "backup.verify";
export const BACKUP_VERIFY_PLAN = "backup.verify-plan";

const verifyPayload = z.strictObject({ artifactId: z.string(), heldKey: z.boolean() });
const verifyPlanPayload = z.strictObject({ planId: z.string() });

/** The node that test-restores an artifact, and what it asks it. */
async function verifyCall(
  deps: BackupTaskDeps,
  artifact: runs.ArtifactRow,
  settings: unknown,
  privateKey: string | undefined,
) {
  const base = {
    destination: settings,
    artifact: artifact.name,
    ...(privateKey ? { privateKey } : {}),
  };
  const local = (await destinationNode(deps.db.db, artifact.destination_id)).nodeId;
  if (contentOf(artifact.name) === "files") {
    const source = await findSource(deps.db.db, artifact.source_id);
    const nodeId = local ?? source?.node_id ?? null;
    if (!nodeId) throw new PermanentError("no node to read the artifact on");
    const input = { ...base, target: { kind: "files", path: null }, dryRun: true };
    return { nodeId, name: "backup.restore" as const, input };
  }
  if (contentOf(artifact.name) === "mongodb")
    throw new PermanentError(
      "a MongoDB archive has no test restore here (no server to restore to)",
    );
  const server = await sourceServerOf(deps.db.db, artifact);
  const nodeId = server ? readerNodeOf(server) : null;
  if (!server || !nodeId) throw new PermanentError("the artifact's database server is gone");
  if (local && local !== nodeId)
    throw new PermanentError(
      `the artifact is in a directory of node ${local}, not of the server's`,
    );
  const input = { ...base, engine: server.engine, server: targetOf(server, deps.secrets).target };
  return { nodeId, name: "backup.verify" as const, input };
}

function verifyTask(deps: BackupTaskDeps): HandlerDef<typeof verifyPayload> {
  const k = deps.db.db;
  const record = async (
    artifact: runs.ArtifactRow,
    outcome: { verified: boolean; message: string },
  ) => {
    const plan = await findPlan(k, artifact.plan_id);
    const now = Date.now();
    await k.transaction().execute(async (trx) => {
      if (outcome.verified) await runs.markVerified(trx, artifact.id, now);
      else await runs.markVerifyFailed(trx, artifact.id, now, outcome.message);
      await recordVerifyEvent(trx, plan, artifact, outcome);
    });
  };
  return {
    kind: BACKUP_VERIFY,
    description: "test-restores a backup artifact and records whether it is verified",
    payload: verifyPayload,
    timeoutMs: 6 * 3600_000,
    maxAttempts: 1,
    unique: (p) => p.artifactId,
    async run(ctx) {
      const artifact = await runs.findArtifact(k, ctx.task.payload.artifactId);
      let outcome: { verified: boolean; message: string; tables?: unknown };
      try {
        const opened = await openArtifact(deps, ctx);
        const call = await verifyCall(deps, opened.artifact, opened.settings, opened.privateKey);
        ctx.log.info(`test restore of ${opened.artifact.name} on node ${call.nodeId}`);
        const output = await callOp(deps, ctx, call.nodeId, call.name, call.input);
        if (call.name === "backup.verify") outcome = backupVerifyOutput.parse(output);
        else {
          const read = backupRestoreOutput.parse(output);
          outcome = {
            verified: true,
            message: `read back whole (SHA-256 ${read.sha256} and every chunk checked): ${read.counts.created + read.counts.replaced} entries`,
          };
        }
      } catch (error) {
        if (!artifact || !(error instanceof PermanentError)) throw error;
        outcome = { verified: false, message: `the test restore failed: ${error.message}` };
      }
      if (artifact) await record(artifact, outcome);
      ctx.log[outcome.verified ? "info" : "error"](outcome.message);
      if (!outcome.verified) throw new PermanentError(outcome.message);
      return outcome;
    },
  };
}

function verifyPlanTask(deps: BackupTaskDeps): HandlerDef<typeof verifyPlanPayload> {
  return {
    kind: BACKUP_VERIFY_PLAN,
    description: "test-restores the newest unverified artifact of each source of a backup plan",
    payload: verifyPlanPayload,
    timeoutMs: 60_000,
    maxAttempts: 3,
    recurring: true,
    unique: (p) => p.planId,
    async run(ctx) {
      const k = deps.db.db;
      const plan = await findPlan(k, ctx.task.payload.planId);
      if (!plan) return null;
      const artifacts = await runs.newestUnverified(k, plan.id);
      for (const artifact of artifacts)
        await deps.enqueue(
          {
            kind: BACKUP_VERIFY,
            payload: { artifactId: artifact.id, heldKey: false },
            accountId: plan.account_id,
            target: { type: "backup-artifact", id: artifact.id },
            onSuccess: "disable",
            createdBy: null,
          },
          k,
        );
      ctx.log.info(`started ${artifacts.length} test restore(s)`);
      return { artifacts: artifacts.map((a) => a.id) };
    },
  };
}

export function registerVerifyTasks(registry: Registry, deps: BackupTaskDeps) {
  registry.register(verifyTask(deps));
  registry.register(verifyPlanTask(deps));
}
