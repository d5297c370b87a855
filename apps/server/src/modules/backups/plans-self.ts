// A run of Steward's own backup (a plan's `steward` source): on the panel, not on a node. The
// destinations' settings are opened as for any run (the outbound policy checked again; a node's
// directory refused: only its agent writes there), exportSteward streams the panel's database,
// master key and settings file through the pipeline into them, retention deletes what it chose
// after a successful run, and the run is recorded like every run (record: artifacts, event).
import { describeProgress } from "@steward/contracts/backups";
import { type Ctx, systemActor } from "../../access/types.ts";
import { type HandlerContext, PermanentError } from "../../engine/types.ts";
import { idsOf, type PlanRow } from "./plans-repo.ts";
import { finish, record } from "./run-finish.ts";
import { type BackupTaskDeps, destinationsOf, pruneOf } from "./run-input.ts";
import * as runs from "./runs-repo.ts";

export async function runSteward(
  deps: BackupTaskDeps,
  ctx: HandlerContext<unknown>,
  run: runs.RunRow,
  plan: PlanRow,
) {
  await runs.updateRun(deps.db.db, run.id, { status: "running", started_at: Date.now() });
  const prepared = await destinationsOf(deps, plan, null);
  for (const r of prepared.refused)
    ctx.log.error(`destination ${prepared.names[r.id] ?? r.id}: ${r.error}`);
  if (prepared.destinations.length === 0) {
    const error = "no destination can take the artifact";
    await finish(deps, ctx, run, plan, { status: "failed", error, outcomes: prepared.refused });
    throw new PermanentError(error);
  }
  const ids = prepared.destinations.map((d) => d.id);
  const prune = await pruneOf(deps, plan, run, ids, Date.now());
  const [{ exportSteward }, agent] = await Promise.all([
    import("../../selfbackup/export.ts"),
    import("@steward/agent/backups"),
  ]);
  const destinations = prepared.destinations.map((d) => ({
    id: d.id,
    destination: agent.openDestination(d.settings),
  }));
  const audit: Ctx = {
    actor: systemActor("backup.run"),
    grants: [],
    ip: null,
    requestId: ctx.task.id,
  };
  ctx.log.info(`backing up Steward itself as ${run.artifact}`);
  const started = performance.now();
  try {
    const result = await exportSteward(deps.settings, deps.db, audit, {
      recipients: idsOf(plan.recipients),
      name: run.artifact,
      destinations,
      planId: plan.id,
      compressionLevel: Number(plan.compression_level),
      onProgress: (p) => {
        const rate = p.sourceBytes / Math.max((performance.now() - started) / 1000, 0.001);
        void ctx.progress(0, describeProgress({ ...p, rate }, prepared.names));
      },
    });
    const pruned =
      result.status === "succeeded"
        ? await agent.prune(
            prune.map(({ destinationId, names }) => ({ destinationId, names })),
            destinations,
          )
        : [];
    return await record(deps, ctx, run, plan, prepared, prune, agent.runOutput(result, pruned, []));
  } finally {
    await Promise.all(destinations.map((d) => d.destination.close().catch(() => undefined)));
  }
}
