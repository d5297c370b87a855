// `steward backup run …` and `steward backup artifact …` (issue 15): what the plans' runs did
// and the artifacts they stored; and the wait of `plan run`: each run's progress as it
// changes, then its outcome (exit code 1 unless every run succeeded).
import { setTimeout as sleep } from "node:timers/promises";
import {
  type BackupRun,
  backupArtifactListQuery,
  backupRunListQuery,
} from "@steward/contracts/backups";
import type { Ctx, Services } from "@steward/server/admin";
import type { Command } from "commander";
import { type GlobalOptions, pageOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";
import { artifactDeleteCommand } from "./backup-explorer.ts";
import { backupArtifactCommands } from "./backup-restore.ts";
import { idArg } from "./backup-sources.ts";
import { listCommand, lookup } from "./shapes.ts";

const POLL_MS = 500;

const mib = (n: number | null) => (n === null ? "-" : `${(n / 1024 / 1024).toFixed(1)} MiB`);

/** Waits for the runs, printing each task's progress as it changes, then each run's outcome. */
export async function waitForRuns(svc: Services, ctx: Ctx, g: GlobalOptions, ids: string[]) {
  const said = new Map<string, string>();
  const done = new Map<string, BackupRun>();
  while (done.size < ids.length) {
    for (const id of ids) {
      if (done.has(id)) continue;
      const run = await svc.backupPlans.getRun(ctx, id);
      const task = run.taskId ? await svc.tasks.get(ctx, run.taskId).catch(() => null) : null;
      const progress = task?.progressMessage ?? null;
      if (!g.json && progress && said.get(id) !== progress) {
        said.set(id, progress);
        process.stdout.write(`${run.description}: ${progress}\n`);
      }
      if (!["queued", "running"].includes(run.status)) done.set(id, run);
    }
    if (done.size < ids.length) await sleep(POLL_MS);
  }
  const runs = ids.flatMap((id) => done.get(id) ?? []);
  if (g.json) print(g, { runs });
  else
    for (const run of runs) {
      process.stdout.write(
        `${run.description}: ${run.status}, ${mib(run.bytes)} stored${run.error ? `: ${run.error}` : ""}\n`,
      );
      for (const d of run.destinations)
        process.stdout.write(`  ${d.id}: ${d.error ? `failed: ${d.error}` : `${mib(d.bytes)}`}\n`);
    }
  if (runs.some((r) => r.status !== "succeeded")) process.exitCode = 1;
}

export function backupRunCommands(backup: Command, g: () => GlobalOptions) {
  const run = backup.command("run").description("what the plans' runs did");
  listCommand(run, [
    ["--plan <id>"],
    ["--status <status>", "queued, running, succeeded, partial, failed"],
  ]).action(async (o) => {
    const f = parse(
      backupRunListQuery,
      { plan: o.plan, status: o.status },
      { plan: "--plan", status: "--status" },
    );
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.backupPlans.listRuns(ctx, { ...f, ...pageOptions(o) }), [
        "id",
        "planId",
        "description",
        "status",
        "bytes",
        "finishedAt",
      ]),
    );
  });
  lookup(run, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => svc.backupPlans.getRun(ctx, ref),
  });

  const artifact = backup.command("artifact").description("the artifacts runs stored");
  listCommand(artifact, [
    ["--plan <id>"],
    ["--source <id>"],
    ["--destination <id>"],
    ["--verified <bool>", "true or false"],
    ["--from <time>", "made at or after (ISO-8601)"],
    ["--to <time>", "made before (ISO-8601)"],
  ]).action(async (o) => {
    const f = parse(
      backupArtifactListQuery,
      {
        plan: o.plan,
        source: o.source,
        destination: o.destination,
        verified: o.verified,
        from: o.from,
        to: o.to,
      },
      {
        plan: "--plan",
        source: "--source",
        destination: "--destination",
        verified: "--verified",
        from: "--from",
        to: "--to",
      },
    );
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.backupPlans.listArtifacts(ctx, { ...f, ...pageOptions(o) }), [
        "id",
        "name",
        "destinationId",
        "bytes",
        "createdAt",
        "verifiedAt",
        "deletedAt",
      ]),
    );
  });
  lookup(artifact, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => svc.backupPlans.getArtifact(ctx, ref),
  });
  artifactDeleteCommand(artifact, g);
  backupArtifactCommands(artifact, g);
}
