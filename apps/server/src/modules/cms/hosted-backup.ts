// The restore point of a Steward-hosted CMS site (docs/cms.md#a-steward-hosted-site): a run of
// the backup plan linked to the site (its files and database, through the backups capability:
// one `backup.run` task per source on the site's node, artifacts in the plan's destinations)
// awaited by the upgrade task before each update; when the update or its check fails, each
// artifact restored in place through the backups capability's restore (`backup.restore`
// tasks: the files over their directory, the database replacing itself), awaited too.
import type { ArtifactRestoreTarget } from "@steward/contracts/backups";
import type { Db } from "../../db/open.ts";
import type { TaskLogger } from "../../engine/types.ts";
import { contentOf } from "../backups/restore-target.ts";
import { artifactsOfRun, findRun } from "../backups/runs-repo.ts";
import { findTask } from "../tasks/repo.ts";

/** What the backups capability does for the upgrade task (services-engine.ts, as the system). */
export interface HostedBackups {
  run(planId: string): Promise<{ runs: { runId: string; taskId: string }[] }>;
  restore(artifactId: string, target: ArtifactRestoreTarget): Promise<{ taskId: string }>;
}

export interface TakenBackup {
  kind: "backup";
  planId: string;
  /** one artifact per thing backed up (the site's files, its database) */
  artifacts: { id: string; name: string }[];
}

/** A backup or restore may take this long before the update gives up on it. */
const WAIT_MS = 30 * 60_000;

/** Waits for another module's task; its error when it did not succeed. */
async function settled(db: Db, taskId: string): Promise<string | null> {
  const until = Date.now() + WAIT_MS;
  while (Date.now() < until) {
    const t = await findTask(db.db, taskId);
    if (!t) return "the task is gone";
    if (t.state === "succeeded") return null;
    if (t.state === "failed" || t.state === "cancelled") return t.last_error ?? `task ${t.state}`;
    await new Promise((r) => setTimeout(r, 250));
  }
  return "it did not finish in time";
}

/** Runs the plan and waits for it: throws (the update is then not applied) unless every run succeeded. */
export async function takeHostedBackup(
  db: Db,
  backups: HostedBackups,
  planId: string,
  log: TaskLogger,
): Promise<TakenBackup> {
  const { runs } = await backups.run(planId);
  if (runs.length === 0) throw new Error("the backup plan backs up nothing");
  const artifacts: TakenBackup["artifacts"] = [];
  for (const r of runs) {
    const error = await settled(db, r.taskId);
    const run = await findRun(db.db, r.runId);
    if (error || run?.status !== "succeeded")
      throw new Error(`backup run ${r.runId} ${run?.status ?? "failed"}: ${error ?? run?.error}`);
    const [first] = await artifactsOfRun(db.db, r.runId);
    if (!first) throw new Error(`backup run ${r.runId} left no artifact`);
    log.info(`backup of ${run.description}: artifact ${first.name} (${first.id})`);
    artifacts.push({ id: first.id, name: first.name });
  }
  return { kind: "backup", planId, artifacts };
}

/** Restores each artifact in place, files first; the artifacts named when it is done, or why not. */
export async function restoreHostedBackup(
  db: Db,
  backups: HostedBackups,
  taken: TakenBackup,
  log: TaskLogger,
): Promise<{ ok: boolean; message: string }> {
  const ordered = [...taken.artifacts].sort(
    (a, b) => Number(contentOf(b.name) === "files") - Number(contentOf(a.name) === "files"),
  );
  for (const a of ordered) {
    const target: ArtifactRestoreTarget =
      contentOf(a.name) === "files"
        ? { kind: "files", nodeId: null, path: null }
        : { kind: "database", serverId: null, database: null, replace: true };
    log.info(`restoring ${a.name} (${a.id})`);
    try {
      const { taskId } = await backups.restore(a.id, target);
      const error = await settled(db, taskId);
      if (error) return { ok: false, message: `the restore of ${a.name} failed: ${error}` };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { ok: false, message: `the restore of ${a.name} could not start: ${why}` };
    }
  }
  return { ok: true, message: `restored backup ${ordered.map((a) => a.name).join(", ")}` };
}
