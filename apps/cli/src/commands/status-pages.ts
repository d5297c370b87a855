// `steward status-page …`: an account's public status pages and their incident notes. Input
// passes the API's own schemas (statusPageCreate/Update, incidentCreate/Update), so the CLI
// refuses what the API refuses, naming the option; the service's refusals (a taken slug,
// another account's monitor) name the option too. A running panel's public page shows a
// change made here within its 30-second cache.
import { v } from "@steward/contracts";
import {
  type IncidentUpdate,
  incidentCreate,
  incidentUpdate,
  statusPageCreate,
  statusPageListQuery,
  statusPageUpdate,
  statusSlug,
} from "@steward/contracts/status-pages";
import { AppError } from "@steward/server/admin";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, pageOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";
import { bodyOf, listCommand, lookup, removal } from "./shapes.ts";
import { collect, usageOf } from "./site-options.ts";

const COLUMNS = ["id", "slug", "title", "publicPath"];
const INCIDENT_COLUMNS = ["id", "title", "severity", "startedAt", "resolvedAt"];
const OPTIONS: Record<string, string> = {
  account: "--account",
  slug: "--slug",
  title: "--title",
  description: "--description",
  monitors: "--monitor",
  body: "--body",
  severity: "--severity",
  startedAt: "--started",
  resolvedAt: "--at",
};
const idArg = (value: string, input = "<page>") => parse(v.id, value, { input });
/** `<page>`: its id or its slug, checked before anything is asked */
const pageArg = (value: string) =>
  value.startsWith("stp_") ? idArg(value) : parse(statusSlug, value, { input: "<page>" });

/** `--monitor ID` or `--monitor "ID=Public name"`, as the API's monitor entries. */
const monitorsOf = (given: string[] | undefined) =>
  given?.map((entry) => {
    const at = entry.indexOf("=");
    return at < 0
      ? { monitor: entry }
      : { monitor: entry.slice(0, at), name: entry.slice(at + 1) || undefined };
  });

/** The service's refusal naming the option: invalid input exits 2, a taken slug 1. */
async function byOption<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const option = OPTIONS[e.details?.[0]?.field ?? ""];
    if (e.code === "CONFLICT" && option) throw new AppError("CONFLICT", `${option}: ${e.message}`);
    throw usageOf(e, OPTIONS) ?? e;
  }
}

const pageFields = (c: Command) =>
  c
    .option("--slug <slug>", "its address: /status/<slug>")
    .option("--title <title>", "the page's title")
    .option("--description <text>", "plain text under the title")
    .option(
      "--monitor <id[=name]>",
      "a monitor it shows, under a public name after '=' (repeat, in order)",
      collect,
    );

function pageCommands(page: Command, g: () => GlobalOptions) {
  listCommand(page, [["--account <account>", "id or slug"]]).action(async (o) => {
    const f = parse(statusPageListQuery, { account: o.account }, OPTIONS);
    const paging = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, f.account);
      print(g(), await svc.statusPages.list(ctx, { account, ...paging }), COLUMNS);
    });
  });
  lookup(page, g, {
    command: ["show", "<page>", "the page's id or slug"],
    ref: pageArg,
    fetch: async (svc, ctx, ref) => svc.statusPages.get(ctx, await svc.statusPages.idOf(ctx, ref)),
  });
  pageFields(
    page.command("add").description("adds a status page (to the default account unless --account)"),
  )
    .option("--account <account>", "id or slug")
    .action(async (o) => {
      const input = parse(
        statusPageCreate,
        {
          account: o.account,
          slug: o.slug,
          title: o.title,
          description: o.description,
          monitors: monitorsOf(o.monitor),
        },
        OPTIONS,
      );
      await withServices(g(), async (svc, ctx) => {
        const account = await accountIdOf(svc, ctx, input.account);
        print(g(), await byOption(() => svc.statusPages.create(ctx, { ...input, account })));
      });
    });
  pageFields(page.command("update").description("changes a page; --monitor replaces the list"))
    .argument("<page>", "the page's id or slug")
    .option("--no-monitors", "show no monitors")
    .action(async (ref, o) => {
      const pageRef = pageArg(ref);
      const input = parse(
        statusPageUpdate,
        {
          slug: o.slug,
          title: o.title,
          description: o.description,
          monitors: o.monitors === false ? [] : monitorsOf(o.monitor),
        },
        OPTIONS,
      );
      await withServices(g(), async (svc, ctx) =>
        print(
          g(),
          await byOption(async () =>
            svc.statusPages.update(ctx, await svc.statusPages.idOf(ctx, pageRef), input),
          ),
        ),
      );
    });
  removal(page, g, {
    command: ["remove", "<page>", "the page's id or slug"],
    answer: "removed",
    confirmAs: "status page",
    remove: async (svc, ctx, ref) =>
      svc.statusPages.remove(ctx, await svc.statusPages.idOf(ctx, pageArg(ref))),
  });
}

/** Changes one incident of a page named by id or slug, and prints it. */
async function changeIncident(
  g: () => GlobalOptions,
  pageRef: string,
  incidentRef: string,
  input: IncidentUpdate,
) {
  const page = pageArg(pageRef);
  const incidentId = idArg(incidentRef, "<incident>");
  await withServices(g(), async (svc, ctx) =>
    print(
      g(),
      await byOption(async () =>
        svc.statusPages.updateIncident(
          ctx,
          await svc.statusPages.idOf(ctx, page),
          incidentId,
          input,
        ),
      ),
    ),
  );
}

function incidentCommands(incident: Command, g: () => GlobalOptions) {
  incident
    .command("list")
    .description("the page's incidents, newest first (the last 50)")
    .argument("<page>", "the page's id or slug")
    .action(async (ref) => {
      const pageRef = pageArg(ref);
      await withServices(g(), async (svc, ctx) =>
        print(
          g(),
          await svc.statusPages.incidents(ctx, await svc.statusPages.idOf(ctx, pageRef)),
          INCIDENT_COLUMNS,
        ),
      );
    });
  const fields = (c: Command) =>
    c
      .option("--title <title>", "what happened, in a line")
      .option("--body <markdown>", "the note (Markdown: raw HTML is shown as text)")
      .option("--body-file <path>", "the note from a file (- for standard input)")
      .option("--severity <severity>", "minor, major, critical or maintenance");
  fields(incident.command("add").description("publishes an incident on the page"))
    .argument("<page>", "the page's id or slug")
    .option("--started <time>", "when it started (ISO 8601; now by default)")
    .action(async (ref, o) => {
      const pageRef = pageArg(ref);
      const input = parse(
        incidentCreate,
        { title: o.title, body: bodyOf(o), severity: o.severity, startedAt: o.started },
        OPTIONS,
      );
      await withServices(g(), async (svc, ctx) =>
        print(
          g(),
          await byOption(async () =>
            svc.statusPages.addIncident(ctx, await svc.statusPages.idOf(ctx, pageRef), input),
          ),
        ),
      );
    });
  fields(incident.command("update").description("changes an incident"))
    .argument("<page>", "the page's id or slug")
    .argument("<incident>", "the incident's id")
    .option("--reopen", "open a resolved incident again")
    .action(async (ref, incidentRef, o) => {
      const input = parse(
        incidentUpdate,
        {
          title: o.title,
          body: bodyOf(o),
          severity: o.severity,
          resolvedAt: o.reopen ? null : undefined,
        },
        OPTIONS,
      );
      await changeIncident(g, ref, incidentRef, input);
    });
  incident
    .command("resolve")
    .description("marks an incident resolved (now, or --at)")
    .argument("<page>", "the page's id or slug")
    .argument("<incident>", "the incident's id")
    .option("--at <time>", "when it was resolved (ISO 8601)")
    .action(async (ref, incidentRef, o) => {
      const input = parse(
        incidentUpdate,
        { resolvedAt: o.at ?? new Date().toISOString() },
        OPTIONS,
      );
      await changeIncident(g, ref, incidentRef, input);
    });
}

export function statusPageCommands(program: Command, g: () => GlobalOptions) {
  const page = program.command("status-page");
  pageCommands(page, g);
  incidentCommands(page.command("incident").description("a page's incident notes"), g);
}
