// `steward backup artifact restore|verify|download` and `steward backup plan edit|recovery-kit`
// (issue 15). A restore and a test restore are tasks run by the panel (`steward serve`): the
// command waits, printing the task's log as it grows, then its result (a dry run's lists),
// unless --no-wait; exit 1 unless it succeeded. A download goes through the panel's service, in
// this process: an S3, SFTP or FTP destination read by it, a node's directory through the node's
// agent (as the panel does). Files written are new (never replaced), 0600.
import { createWriteStream, rmSync } from "node:fs";
import { resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  artifactRestoreRequest,
  backupPlanUpdate,
  recoveryKitQuery,
} from "@steward/contracts/backups";
import type { Ctx, Services } from "@steward/server/admin";
import type { Command } from "commander";
import {
  databaseServerIdOf,
  type GlobalOptions,
  nodeIdOf,
  parse,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { readIdentity, writeNewFile } from "./backup-self.ts";
import { idArg, namingOptions } from "./backup-sources.ts";
import { followLogs } from "./task-logs.ts";

const RESTORE_OPTIONS = {
  "target.database": "--database",
  "target.serverId": "--server",
  "target.path": "--path",
  "target.nodeId": "--node",
  "target.kind": "--path",
  "target.sourceId": "--source",
  "target.drop": "--drop",
  target: "--database",
  identity: "--identity",
};

const IDENTITY_HELP =
  "a recipients plan's artifact: the file holding one recipient's private key (held sealed for the task until it takes it)";

const EDIT_OPTIONS = {
  name: "--name",
  sourceIds: "--sources",
  destinationIds: "--destinations",
  schedule: "--schedule",
  timeZone: "--time-zone",
  compressionLevel: "--level",
  retention: "--keep-last",
  concurrency: "--concurrency",
  enabled: "--enable",
  verify: "--verify-schedule",
  "verify.schedule": "--verify-schedule",
  "verify.timeZone": "--time-zone",
};

async function waitFor(svc: Services, ctx: Ctx, g: GlobalOptions, taskId: string) {
  await followLogs(svc, ctx, taskId, g, undefined);
  const task = await svc.tasks.get(ctx, taskId);
  if (task.result !== null) print(g, task.result);
  if (task.state !== "succeeded") process.exitCode = 1;
}

const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function backupArtifactCommands(artifact: Command, g: () => GlobalOptions) {
  artifact
    .command("restore")
    .description(
      "restores an artifact: a database (--database renames it, --server another server of the account, --replace an existing one), files (--path another absolute path, --node another node) or a MongoDB archive (--source another MongoDB source, --database renames, --drop); --dry-run lists what would change",
    )
    .argument("<id>")
    .option("--database <name>", "the database to restore into (default: the one dumped)")
    .option("--server <id>", "a database server of the account (default: the one dumped from)")
    .option("--replace", "replace an existing database as a whole")
    .option("--path <dir>", "files: extract here (default: where they were read)")
    .option("--node <node>", "files: the node to extract on, id or name (default: the one read)")
    .option("--files", "the artifact holds files (implied by --path or --node)")
    .option("--mongodb", "the artifact is a MongoDB archive (implied by --source or --drop)")
    .option("--source <id>", "MongoDB: the source whose deployment receives it (default: its own)")
    .option("--drop", "MongoDB: drop each collection before restoring it")
    .option("--dry-run", "list what would change and change nothing")
    .option("--identity <file>", IDENTITY_HELP)
    .option("--no-wait", "print the task and return")
    .action(async (id, o) => {
      const ref = idArg(id);
      const files = Boolean(o.files || o.path || o.node);
      const mongodb = Boolean(o.mongodb || o.source || o.drop);
      if (files && mongodb) throw new UsageError("--path, --source: files or MongoDB, not both");
      const identity = o.identity === undefined ? undefined : readIdentity(o.identity);
      await withServices(g(), async (svc, ctx) => {
        // a node by id or name, a server by id: an unknown one is refused naming its flag
        const node = await nodeIdOf(svc, ctx, o.node);
        const server = await databaseServerIdOf(svc, ctx, o.server);
        const input = parse(
          artifactRestoreRequest,
          {
            target: files
              ? defined({ kind: "files", path: o.path, nodeId: node })
              : mongodb
                ? defined({
                    kind: "mongodb",
                    sourceId: o.source,
                    database: o.database,
                    drop: o.drop ? true : undefined,
                  })
                : defined({
                    kind: "database",
                    database: o.database,
                    serverId: server,
                    replace: o.replace ? true : undefined,
                  }),
            dryRun: Boolean(o.dryRun),
            identity,
          },
          RESTORE_OPTIONS,
        );
        const asked = await namingOptions(
          RESTORE_OPTIONS,
          svc.backupArtifacts.restore(ctx, ref, input),
        );
        if (!o.wait) return print(g(), asked);
        await waitFor(svc, ctx, g(), asked.taskId);
      });
    });
  artifact
    .command("verify")
    .description("test-restores an artifact and records whether it is verified")
    .argument("<id>")
    .option("--identity <file>", IDENTITY_HELP)
    .option("--no-wait", "print the task and return")
    .action(async (id, o: { wait: boolean; identity?: string }) => {
      const ref = idArg(id);
      const identity = o.identity === undefined ? undefined : readIdentity(o.identity);
      await withServices(g(), async (svc, ctx) => {
        const asked = await namingOptions(
          { identity: "--identity" },
          svc.backupArtifacts.verify(ctx, ref, { identity }),
        );
        if (!o.wait) return print(g(), asked);
        await waitFor(svc, ctx, g(), asked.taskId);
      });
    });
  artifact
    .command("download")
    .description(
      "writes an artifact into a new file: as stored, or --decrypt (the plan's panel key) / --identity FILE decrypted and decompressed",
    )
    .argument("<id>")
    .requiredOption("--out <file>", "the new file (never replaced; 0600)")
    .option("--decrypt", "decrypt with the plan's panel key and decompress")
    .option("--identity <file>", "decrypt with this private key (a recipients plan)")
    .action(async (id, o: { out: string; decrypt?: boolean; identity?: string }) => {
      const ref = idArg(id);
      const identity = o.identity === undefined ? undefined : readIdentity(o.identity);
      const file = resolve(o.out);
      await withServices(g(), async (svc, ctx) => {
        const opened = await namingOptions(
          { identity: "--identity" },
          svc.backupArtifacts.download(ctx, ref, { decrypt: Boolean(o.decrypt), identity }),
        );
        writeNewFile("--out", file, "");
        const out = createWriteStream(file, { flags: "r+", mode: 0o600 });
        try {
          await pipeline(opened.stream, out);
        } catch (error) {
          // a damaged artifact or a cut connection: no half file left behind
          rmSync(file, { force: true });
          throw error;
        }
        process.stdout.write(
          g().json
            ? `${JSON.stringify({ file, bytes: out.bytesWritten })}\n`
            : `wrote ${file} (${out.bytesWritten} bytes)\n`,
        );
      });
    });
}

export function planEditCommands(plan: Command, g: () => GlobalOptions) {
  plan
    .command("edit")
    .description("changes a plan (only what is given); encryption keeps its mode")
    .argument("<id>")
    .option("--name <name>")
    .option("--sources <ids>", "comma-separated")
    .option("--destinations <ids>", "comma-separated")
    .option("--schedule <cron>", "a cron expression; 'none' runs only when asked")
    .option("--time-zone <zone>")
    .option("--level <n>", "zstd level 1-19")
    .option("--keep-last <n>")
    .option("--concurrency <n>")
    .option("--enable")
    .option("--disable")
    .option("--verify-schedule <cron>", "test restores on this schedule; 'none' stops them")
    .action(async (id, o) => {
      const ref = idArg(id);
      if (o.enable && o.disable) throw new UsageError("--enable, --disable: give one");
      const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
      const none = (v: string | undefined) => (v === "none" ? null : v);
      const input = parse(
        backupPlanUpdate,
        defined({
          name: o.name,
          sourceIds: o.sources?.split(","),
          destinationIds: o.destinations?.split(","),
          schedule: none(o.schedule),
          timeZone: o.timeZone,
          compressionLevel: num(o.level),
          retention: o.keepLast === undefined ? undefined : { keepLast: num(o.keepLast) },
          concurrency: num(o.concurrency),
          enabled: o.enable ? true : o.disable ? false : undefined,
          verify:
            o.verifySchedule === undefined
              ? undefined
              : o.verifySchedule === "none"
                ? null
                : defined({ schedule: o.verifySchedule, timeZone: o.timeZone }),
        }),
        EDIT_OPTIONS,
      );
      await withServices(g(), async (svc, ctx) =>
        print(g(), await namingOptions(EDIT_OPTIONS, svc.backupPlans.update(ctx, ref, input))),
      );
    });
  plan
    .command("recovery-kit")
    .description(
      "writes the private key of a plan encrypted with a panel key into a new file (0600), once; --again --reason R takes it again",
    )
    .argument("<id>")
    .requiredOption("--out <file>", "the new file (never replaced; 0600)")
    .option("--again", "take it again after it was taken")
    .option("--reason <text>", "why it is taken again (audited)")
    .action(async (id, o: { out: string; again?: boolean; reason?: string }) => {
      const ref = idArg(id);
      const q = parse(
        recoveryKitQuery,
        defined({ again: o.again ? "true" : undefined, reason: o.reason }),
        { again: "--again", reason: "--reason" },
      );
      const file = resolve(o.out);
      await withServices(g(), async (svc, ctx) => {
        const kit = await namingOptions(
          { reason: "--reason" },
          svc.backupPlans.recoveryKit(ctx, ref, { again: q.again === "true", reason: q.reason }),
        );
        writeNewFile("--out", file, kit.text);
        process.stdout.write(
          `wrote ${file}: keep it offline; it opens every artifact of ${kit.plan.name}\n`,
        );
      });
    });
}
