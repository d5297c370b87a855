// backup.run: opens the source (openBackupSource), then streams it through runBackup into every
// destination at once. Progress goes to the operation's log as `backupProgressLine`s (the panel's
// task turns them into its progress), at most one a second. A failing destination makes the run
// partial: the operation itself still answers ok with the status, so the panel records every
// destination's outcome. The pipeline and the destinations' clients (the AWS SDK, FTP) load with
// the first run, never with the agent.
import {
  type BackupRunOutput,
  backupProgressLine,
  type DestinationSettings,
} from "@steward/contracts/backups";
import { OpFailure, type OpHandler } from "../types.ts";

const LOG_EVERY_MS = 1000;

/** A node's directory is written only by that node's agent. */
export function refuseOtherNodes(settings: DestinationSettings, nodeId: string) {
  if (settings.kind === "local" && settings.nodeId !== nodeId)
    throw new OpFailure(
      "OP_INPUT_INVALID",
      `the local destination is a directory of node ${settings.nodeId}, not of this node`,
    );
}

export const backupRun: OpHandler<"backup.run"> = {
  name: "backup.run",
  async run(ctx, input): Promise<BackupRunOutput> {
    const nodeId = ctx.config.nodeId;
    for (const d of input.destinations) refuseOtherNodes(d.settings, nodeId);
    const { openBackupSource, openDestination, prune, runBackup, runOutput } = await import(
      "./index.ts"
    );
    const source = await ctx.step(`open the ${input.source.kind} source`, () =>
      openBackupSource(input.source, {
        nodeId,
        databases: ctx.config.databases,
        compressionLevel: input.compressionLevel,
      }),
    );
    const destinations = input.destinations.map((d) => ({
      id: d.id,
      destination: openDestination(d.settings),
    }));
    const started = performance.now();
    let logged = 0;
    const abort = () => source.stream.destroy(new Error("the operation was cancelled"));
    ctx.signal.addEventListener("abort", abort, { once: true });
    try {
      ctx.log("info", `backing up ${source.info.description} as ${input.artifact}`);
      const result = await ctx.step("stream the backup to its destinations", () =>
        runBackup({
          source: source.stream,
          sourceInfo: source.info,
          compressed: source.compressed,
          name: input.artifact,
          planId: input.planId,
          compressionLevel: input.compressionLevel,
          recipients: input.recipients,
          destinations,
          onProgress: (p) => {
            const now = performance.now();
            if (now - logged < LOG_EVERY_MS) return;
            logged = now;
            const seconds = Math.max((now - started) / 1000, 0.001);
            ctx.log("info", backupProgressLine({ ...p, rate: p.sourceBytes / seconds }));
          },
        }),
      );
      const seconds = Math.max((performance.now() - started) / 1000, 0.001);
      const sourceBytes = result.metadata?.sourceBytes ?? 0;
      const written = Object.fromEntries(result.destinations.map((o) => [o.id, o.written]));
      ctx.log(
        "info",
        backupProgressLine({ sourceBytes, destinations: written, rate: sourceBytes / seconds }),
      );
      const warnings = source.warnings();
      for (const w of warnings) ctx.log("warn", w);
      for (const o of result.destinations)
        if (o.error !== null) ctx.log("error", `destination ${o.id}: ${o.error}`);
      if (result.status !== "failed") ctx.changed();
      const pruned =
        result.status === "succeeded"
          ? await ctx.step("apply retention", () => prune(input.prune, destinations))
          : [];
      for (const p of pruned)
        ctx.log(
          p.error ? "error" : "info",
          p.error
            ? `retention on ${p.destinationId}: ${p.error}`
            : `retention deleted ${p.names.length} artifact(s) from ${p.destinationId}`,
        );
      return runOutput(result, pruned, warnings);
    } finally {
      ctx.signal.removeEventListener("abort", abort);
      await Promise.all(destinations.map((d) => d.destination.close().catch(() => undefined)));
    }
  },
};
