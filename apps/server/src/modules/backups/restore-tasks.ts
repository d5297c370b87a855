// The task of restores from the panel: `backup.restore` asks the node that reaches the target
// for the agent operation backup.restore (or its dry run), its log lines into the task's log,
// its answer the task's result. Test restores: verify-tasks.ts. Keys: the plan's panel-sealed
// private key opened for the call, or an identity held for this task (held-keys.ts).
import { backupRestoreOutput } from "@steward/contracts/backups";
import { z } from "zod";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import { targetOf } from "../databases/access.ts";
import { findServer } from "../databases/repo.ts";
import { callOp, openArtifact } from "./artifact-call.ts";
import type { BackupTaskDeps } from "./run-input.ts";
import { findSource } from "./sources-repo.ts";
import { registerVerifyTasks } from "./verify-tasks.ts";

export const BACKUP_RESTORE = "backup.restore";

const target = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("database"),
    serverId: z.string(),
    database: z.string(),
    replace: z.boolean(),
  }),
  z.strictObject({ kind: z.literal("files"), path: z.string().nullable() }),
  z.strictObject({
    kind: z.literal("mongodb"),
    sourceId: z.string(),
    from: z.string().nullable(),
    database: z.string().nullable(),
    drop: z.boolean(),
  }),
]);
const restorePayload = z.strictObject({
  artifactId: z.string(),
  nodeId: z.string(),
  target,
  dryRun: z.boolean(),
  /** an identity was given with the request: held sealed for this task (held-keys.ts) */
  heldKey: z.boolean(),
});

function restoreTask(deps: BackupTaskDeps): HandlerDef<typeof restorePayload> {
  return {
    kind: BACKUP_RESTORE,
    description:
      "restores a backup artifact into a database, a MongoDB deployment or a node's path (or a dry run)",
    payload: restorePayload,
    timeoutMs: 6 * 3600_000,
    maxAttempts: 1,
    concurrency: { key: (p) => `restore:${p.nodeId}`, limit: 2 },
    async run(ctx) {
      const { artifact, settings, privateKey } = await openArtifact(deps, ctx);
      const p = ctx.task.payload;
      let agentTarget: unknown;
      if (p.target.kind === "files") agentTarget = p.target;
      else if (p.target.kind === "mongodb") {
        const { sourceId, ...rest } = p.target;
        const source = await findSource(deps.db.db, sourceId);
        if (!source?.secret_sealed) throw new PermanentError("the target source no longer exists");
        agentTarget = { ...rest, uri: deps.secrets.open(source.secret_sealed) };
      } else {
        const server = await findServer(deps.db.db, p.target.serverId);
        if (!server) throw new PermanentError("the target database server no longer exists");
        agentTarget = {
          kind: "database",
          engine: server.engine,
          server: targetOf(server, deps.secrets).target,
          database: p.target.database,
          replace: p.target.replace,
        };
      }
      const where =
        p.target.kind === "files"
          ? (p.target.path ?? "its place")
          : p.target.kind === "mongodb"
            ? (p.target.database ?? p.target.from ?? "every database of the archive")
            : p.target.database;
      ctx.log.info(
        `${p.dryRun ? "dry run of restoring" : "restoring"} ${artifact.name} into ${where}`,
      );
      const output = backupRestoreOutput.parse(
        await callOp(deps, ctx, p.nodeId, "backup.restore", {
          destination: settings,
          artifact: artifact.name,
          ...(privateKey ? { privateKey } : {}),
          target: agentTarget,
          dryRun: p.dryRun,
        }),
      );
      ctx.log.info(
        `${p.dryRun ? "would change" : "restored into"} ${output.target}: ${output.counts.created} created, ${output.counts.replaced} replaced${output.existed ? " (it existed)" : ""}`,
      );
      return output;
    },
  };
}

export function registerRestoreTasks(registry: Registry, deps: BackupTaskDeps) {
  registry.register(restoreTask(deps));
  registerVerifyTasks(registry, deps);
}
