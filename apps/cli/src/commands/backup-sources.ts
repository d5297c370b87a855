// `steward backup source …` (issue 15): what backups read (a node's directory, a database,
// every database of a server, MongoDB), parsed with the API's own schema (refusals name the
// option). A MongoDB URI holds a password: it is read from STEWARD_BACKUP_SECRET.
import { v } from "@steward/contracts";
import { backupSourceCreate, backupSourceListQuery } from "@steward/contracts/backups";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  nodeIdOf,
  pageOptions,
  parse,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { listCommand, lookup, removal } from "./shapes.ts";

export const idArg = (value: string) => parse(v.id, value, { input: "<id>" });

/**
 * A field the panel refused after the shape (a cron expression croner refuses, a database of
 * another account) named by its option, as the shape's refusals are (exit 2).
 */
export async function namingOptions<T>(names: Record<string, string>, answer: Promise<T>) {
  try {
    return await answer;
  } catch (e) {
    const { code, details } = e as {
      code?: string;
      details?: { field: string; message: string }[];
    };
    const refused = code === "VALIDATION_FAILED" ? details?.[0] : undefined;
    const option = refused && names[refused.field];
    if (refused && option) throw new UsageError(`${option}: ${refused.message}`);
    throw e;
  }
}

const SOURCE_OPTIONS = {
  name: "--name",
  accountId: "--account",
  saveAnyway: "--save-anyway",
  source: "--kind",
  "source.kind": "--kind",
  "source.nodeId": "--node",
  "source.path": "--path",
  "source.excludes": "--exclude",
  "source.databaseId": "--database",
  "source.serverId": "--server",
  "source.uri": "STEWARD_BACKUP_SECRET",
  "source.database": "--mongo-database",
};

function sourceOf(o: Record<string, string | string[] | undefined>) {
  switch (o.kind) {
    case "files":
      return { kind: "files", nodeId: o.node, path: o.path, excludes: o.exclude ?? [] };
    case "database":
      return { kind: "database", databaseId: o.database };
    case "server":
      return { kind: "server", serverId: o.server };
    case "mongodb":
      return {
        kind: "mongodb",
        nodeId: o.node,
        uri: process.env.STEWARD_BACKUP_SECRET,
        database: o.mongoDatabase ?? null,
      };
    default:
      return { kind: o.kind };
  }
}

export function backupSourceCommands(backup: Command, g: () => GlobalOptions) {
  const source = backup
    .command("source")
    .description(
      "what backups read: a node's directory, a database, a server's databases, MongoDB, Steward itself",
    );
  listCommand(source, [["--account <account>", "id or slug"]], ["name", "createdAt"]).action(
    async (o) => {
      const f = parse(
        backupSourceListQuery,
        { account: o.account, sort: o.sort },
        { sort: "--sort" },
      );
      await withServices(g(), async (svc, ctx) => {
        const account = await accountIdOf(svc, ctx, f.account);
        const page = await svc.backupSources.list(ctx, { ...f, account, ...pageOptions(o) });
        print(g(), page, ["id", "name", "kind", "nodeId", "accountId"]);
      });
    },
  );
  lookup(source, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => svc.backupSources.get(ctx, ref),
  });
  source
    .command("add")
    .description("adds a source (a database or server is checked first: the databases it lists)")
    .requiredOption("--name <name>", "a label")
    .requiredOption("--account <account>", "id or slug")
    .requiredOption(
      "--kind <kind>",
      "files, database, server, mongodb or steward (Steward itself, run on the panel)",
    )
    .option("--node <node>", "files, mongodb: the node that reads it (id or name)")
    .option("--path <path>", "files: an absolute directory")
    .option("--exclude <glob...>", "files: globs relative to the path (cache/**, *.log)")
    .option("--database <id>", "database: the database's id")
    .option("--server <id>", "server: the database server's id (all its databases)")
    .option("--mongo-database <name>", "mongodb: one database (the URI in STEWARD_BACKUP_SECRET)")
    .option("--save-anyway", "keep the source even when its check fails")
    .action(async (o) => {
      const input = parse(
        backupSourceCreate,
        {
          name: o.name,
          accountId: o.account,
          source: sourceOf(o),
          saveAnyway: Boolean(o.saveAnyway),
        },
        SOURCE_OPTIONS,
      );
      await withServices(g(), async (svc, ctx) => {
        const accountId = await accountIdOf(svc, ctx, input.accountId);
        const s = input.source;
        const source = "nodeId" in s ? { ...s, nodeId: await nodeIdOf(svc, ctx, s.nodeId) } : s;
        const made = svc.backupSources.create(ctx, { ...input, accountId, source });
        print(g(), await namingOptions(SOURCE_OPTIONS, made));
      });
    });
  removal(source, g, {
    command: ["remove", "<id>", "id"],
    answer: "removed",
    confirmAs: "source",
    remove: (svc, ctx, ref) => svc.backupSources.remove(ctx, idArg(ref)),
  });
}
