// `steward template …`: the installation's message templates (docs/notifications.md,
// "Templates"): each event type in each template format, customised or the default.
import { readFileSync } from "node:fs";
import {
  messageFormat,
  messageTemplateParams,
  messageTemplatePreview,
  messageTemplatePut,
} from "@steward/contracts/notifications";
import type { Command } from "commander";
import { type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";

const COLUMNS = ["type", "format", "customised", "updatedBy", "updatedAt"];
const NAMES = { type: "<type>", format: "<format>", subject: "--subject", body: "--body" };
const key = (type: string, format: string) => parse(messageTemplateParams, { type, format }, NAMES);

/** --body, or the file of --body-file ("-": standard input). */
function bodyOf(o: { body?: string; bodyFile?: string }): string | undefined {
  if (o.body !== undefined && o.bodyFile !== undefined)
    throw new UsageError("--body-file: give --body or --body-file, not both");
  if (o.bodyFile === undefined) return o.body;
  try {
    return readFileSync(o.bodyFile === "-" ? 0 : o.bodyFile, "utf8");
  } catch (e) {
    throw new UsageError(`--body-file: ${(e as Error).message}`);
  }
}

const source = (command: Command) =>
  command
    .option("--subject <liquid>", "the subject's template")
    .option("--body <liquid>", "the body's template")
    .option("--body-file <path>", "the body's template from a file (-: standard input)");

export function templateCommands(program: Command, g: () => GlobalOptions) {
  const template = program.command("template");
  template
    .command("list")
    .description("every event type in every format (text, markdown, html)")
    .action(async () => {
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.templates.list(ctx), COLUMNS),
      );
    });
  template
    .command("show")
    .description("the template in use: the installation's, else the default")
    .argument("<type>", "an event type, like monitor.down")
    .argument("<format>", "text, markdown or html")
    .action(async (type: string, format: string) => {
      const k = key(type, format);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.templates.get(ctx, k.type, k.format)),
      );
    });
  source(
    template
      .command("set")
      .description("saves the installation's template, checked first (the default stays aside)")
      .argument("<type>", "an event type")
      .argument("<format>", "text, markdown or html"),
  ).action(async (type: string, format: string, o) => {
    const k = key(type, format);
    const input = parse(messageTemplatePut, { subject: o.subject, body: bodyOf(o) }, NAMES);
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.templates.put(ctx, k.type, k.format, input)),
    );
  });
  template
    .command("reset")
    .description("back to the default template")
    .argument("<type>", "an event type")
    .argument("<format>", "text, markdown or html")
    .action(async (type: string, format: string) => {
      const k = key(type, format);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.templates.reset(ctx, k.type, k.format)),
      );
    });
  source(
    template
      .command("preview")
      .description("renders the template (or the given source) with the type's sample event")
      .argument("<type>", "an event type")
      .argument("<format>", messageFormat.options.join(", ")),
  ).action(async (type: string, format: string, o) => {
    const input = parse(
      messageTemplatePreview,
      { type, format, subject: o.subject, body: bodyOf(o) },
      NAMES,
    );
    await withServices(g(), async (svc, ctx) => {
      const rendered = await svc.templates.preview(ctx, input);
      if (g().json) return print(g(), rendered);
      process.stdout.write(`${rendered.subject}\n\n${rendered.body}\n`);
    });
  });
}
