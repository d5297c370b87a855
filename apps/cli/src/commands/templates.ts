// `steward template …`: the installation's message templates (docs/notifications.md,
// "Templates"): each event type in each template format, customised or the default.
import {
  type EventType,
  messageFormat,
  messageTemplateParams,
  messageTemplatePreview,
  messageTemplatePut,
  type TemplateFormat,
} from "@steward/contracts/notifications";
import type { Ctx, Services } from "@steward/server/admin";
import type { Command } from "commander";
import { type GlobalOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";
import { bodyOf } from "./shapes.ts";

const COLUMNS = ["type", "format", "customised", "updatedBy", "updatedAt"];
const NAMES = { type: "<type>", format: "<format>", subject: "--subject", body: "--body" };
const key = (type: string, format: string) => parse(messageTemplateParams, { type, format }, NAMES);

/** `<parent> <name> <type> <format>` */
const keyed = (
  parent: Command,
  name: string,
  description: string,
  formats = "text, markdown or html",
) =>
  parent
    .command(name)
    .description(description)
    .argument("<type>", "an event type, like monitor.down")
    .argument("<format>", formats);

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
  /** `template <name> <type> <format>`: prints what `run` answers for that template */
  const onTemplate = (
    name: string,
    description: string,
    run: (svc: Services, ctx: Ctx, type: EventType, format: TemplateFormat) => Promise<unknown>,
  ) =>
    keyed(template, name, description).action(async (type: string, format: string) => {
      const k = key(type, format);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await run(svc, ctx, k.type, k.format)),
      );
    });
  onTemplate(
    "show",
    "the template in use: the installation's, else the default",
    (svc, ctx, type, format) => svc.templates.get(ctx, type, format),
  );
  source(
    keyed(
      template,
      "set",
      "saves the installation's template, checked first (the default stays aside)",
    ),
  ).action(async (type: string, format: string, o) => {
    const k = key(type, format);
    const input = parse(messageTemplatePut, { subject: o.subject, body: bodyOf(o) }, NAMES);
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.templates.put(ctx, k.type, k.format, input)),
    );
  });
  onTemplate("reset", "back to the default template", (svc, ctx, type, format) =>
    svc.templates.reset(ctx, type, format),
  );
  source(
    keyed(
      template,
      "preview",
      "renders the template (or the given source) with the type's sample event",
      messageFormat.options.join(", "),
    ),
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
