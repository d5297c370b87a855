// The storage explorer from the command line (issue 15): `backup destination objects` (what a
// destination holds: known, unknown and missing artifacts), `backup destination import` (unknown
// artifacts registered from their sidecars) and `backup artifact delete` (object and sidecar,
// the only good copy only with --force). Input passes the API's own schemas; a refusal names
// the option (exit 2).
import { artifactImport, type ExplorerObject, explorerQuery } from "@steward/contracts/backups";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  pageOptions,
  parse,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { idArg } from "./backup-sources.ts";
import { confirm, paging } from "./shapes.ts";

const QUERY_OPTIONS = {
  status: "--status",
  plan: "--plan",
  source: "--source",
  verified: "--verified",
  from: "--from",
  to: "--to",
  minBytes: "--min-bytes",
  maxBytes: "--max-bytes",
};

/** One object as a row: what a person scans for. */
const row = (o: ExplorerObject) => ({
  name: o.name,
  status: o.status,
  bytes: o.bytes ?? o.artifact?.bytes ?? null,
  modifiedAt: o.modifiedAt ?? o.artifact?.createdAt ?? null,
  artifact: o.artifact?.id ?? null,
  plan: o.artifact?.planId ?? o.sidecar?.planId ?? null,
  verified: o.artifact?.verifiedAt ? "yes" : "no",
  problem: o.problem,
});

export function destinationExplorerCommands(destination: Command, g: () => GlobalOptions) {
  paging(
    destination
      .command("objects")
      .description(
        "what the destination holds: each object, its sidecar and the artifact recorded for it (known, unknown; --status missing: recorded but gone)",
      )
      .argument("<id>", "the destination's id")
      .option("--unknown", "only objects the panel has no artifact for (--status unknown)")
      .option("--status <status>", "known, unknown or missing")
      .option("--plan <id>")
      .option("--source <id>")
      .option("--verified <bool>", "true or false")
      .option("--from <time>", "written at or after (ISO-8601)")
      .option("--to <time>", "written before (ISO-8601)")
      .option("--min-bytes <n>")
      .option("--max-bytes <n>"),
  ).action(async (id: string, o) => {
    const ref = idArg(id);
    if (o.unknown && o.status && o.status !== "unknown")
      throw new UsageError("--unknown: give --unknown or --status, not both");
    const q = parse(
      explorerQuery,
      {
        status: o.unknown ? "unknown" : o.status,
        plan: o.plan,
        source: o.source,
        verified: o.verified,
        from: o.from,
        to: o.to,
        minBytes: o.minBytes,
        maxBytes: o.maxBytes,
      },
      QUERY_OPTIONS,
    );
    await withServices(g(), async (svc, ctx) => {
      const page = await svc.backupExplorer.objects(ctx, ref, { ...q, ...pageOptions(o) });
      if (g().json) return print(g(), page);
      print(g(), { items: page.items.map(row), nextCursor: page.nextCursor });
    });
  });

  destination
    .command("import")
    .description(
      "registers unknown artifacts of the destination from their sidecars (size and SHA-256 checked)",
    )
    .argument("<id>", "the destination's id")
    .requiredOption("--name <name...>", "an artifact's name (repeat for several)")
    .option(
      "--account <account>",
      "the account they become artifacts of (a shared destination needs one)",
    )
    .option(
      "--plan <id>",
      "the plan they belong to (default: the sidecar's, when it is the account's)",
    )
    .option("--orphan", "of no plan")
    .action(async (id: string, o) => {
      const ref = idArg(id);
      const body = parse(
        artifactImport,
        {
          names: o.name,
          ...(o.account ? { accountId: o.account } : {}),
          ...(o.plan ? { planId: o.plan } : o.orphan ? { planId: null } : {}),
        },
        { names: "--name", accountId: "--account", planId: "--plan" },
      );
      await withServices(g(), async (svc, ctx) => {
        const accountId = body.accountId && (await accountIdOf(svc, ctx, body.accountId));
        const answer = await svc.backupExplorer.import(ctx, ref, {
          ...body,
          ...(accountId ? { accountId } : {}),
        });
        if (g().json) return print(g(), answer);
        print(g(), answer.imported, ["id", "name", "accountId", "planId", "bytes", "sha256"]);
      });
    });
}

export function artifactDeleteCommand(artifact: Command, g: () => GlobalOptions) {
  artifact
    .command("delete")
    .description(
      "deletes the artifact's object and sidecar from its destination and marks it deleted",
    )
    .argument("<id>")
    .option("--yes", "confirm")
    .option("--force", "even when it is the only good copy of its source")
    .action(async (id: string, o: { yes?: boolean; force?: boolean }) => {
      const ref = idArg(id);
      confirm(o, `artifact ${ref}`);
      await withServices(g(), async (svc, ctx) => {
        await svc.backupExplorer.deleteArtifact(ctx, ref, Boolean(o.force));
        print(g(), { deleted: ref });
      });
    });
}
