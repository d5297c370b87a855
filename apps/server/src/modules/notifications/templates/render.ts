// Rendering a template for an event in one format, a whole message in the formats the
// channels take, a preview of a type's default with its sample event, and the checks a
// template passes before it is saved.
import {
  type EventType,
  MAX_SUBJECT_LENGTH,
  type MessageFormat,
  type MessageTemplate,
  messageFormats,
  type NotificationEvent,
  type RenderedMessage,
  sampleEvent,
  type TemplateFormat,
  templateFormatOf,
} from "@steward/contracts/notifications";
import { invalid } from "../../../lib/errors.ts";
import { checkPaths, templateContext } from "./context.ts";
import { defaultTemplate } from "./defaults.ts";
import { parseTemplate, renderParsed, variablePaths } from "./engine.ts";

export interface RenderedTemplate {
  subject: string;
  body: string;
}

/** A subject is one line: runs of white space become one space, and it is cut to length. */
const oneLine = (subject: string) => {
  const line = subject.replace(/\s+/g, " ").trim();
  return line.length > MAX_SUBJECT_LENGTH ? `${line.slice(0, MAX_SUBJECT_LENGTH - 1)}…` : line;
};

type Context = ReturnType<typeof templateContext>;
const renderPart = async (source: string, format: MessageFormat, context: Context, field: string) =>
  renderParsed(format, parseTemplate(format, source, field), context, field);
const renderSubject = async (source: string, context: Context) =>
  oneLine(await renderPart(source, "text", context, "subject"));

/** Renders a template for an event in a format; the subject is always plain text. */
export async function render(
  template: MessageTemplate,
  event: NotificationEvent,
  format: MessageFormat,
): Promise<RenderedTemplate> {
  const context = templateContext(event);
  const subject = await renderSubject(template.subject, context);
  return { subject, body: await renderPart(template.body, format, context, "body") };
}

/** The templates of an event: the defaults of its type, overridden per template format. */
export type TemplateOverrides = Partial<Record<TemplateFormat, MessageTemplate>>;
const templateFor = (type: EventType, format: MessageFormat, overrides: TemplateOverrides) =>
  overrides[templateFormatOf(format)] ?? defaultTemplate(type, templateFormatOf(format));

/** The message every channel sender takes: subject, plain text, CommonMark and HTML bodies. */
export async function renderMessage(
  event: NotificationEvent,
  overrides: TemplateOverrides = {},
): Promise<RenderedMessage> {
  const context = templateContext(event);
  const text = templateFor(event.type, "text", overrides);
  const message: RenderedMessage = {
    subject: await renderSubject(text.subject, context),
    text: await renderPart(text.body, "text", context, "body"),
    markdown: await renderPart(
      templateFor(event.type, "markdown", overrides).body,
      "markdown",
      context,
      "body",
    ),
    html: await renderPart(
      templateFor(event.type, "html", overrides).body,
      "html",
      context,
      "body",
    ),
    severity: event.severity,
  };
  if (event.url) message.url = event.url;
  return message;
}

/** One body for a channel whose format is not in the message (Slack, Telegram, Discord). */
export async function renderBody(
  event: NotificationEvent,
  format: MessageFormat,
  overrides: TemplateOverrides = {},
): Promise<string> {
  return (await render(templateFor(event.type, format, overrides), event, format)).body;
}

/** A type's default template rendered with its sample event: the console's preview. */
export const preview = (type: EventType, format: MessageFormat): Promise<RenderedTemplate> =>
  render(defaultTemplate(type, templateFormatOf(format)), sampleEvent(type), format);

/**
 * Checks a template before it is saved for an event type: it parses, reads only fields the
 * type has (in every branch), and renders the sample event within the limits in every format
 * it is used for. Throws VALIDATION_FAILED naming `subject` or `body`.
 */
export async function checkTemplate(
  template: MessageTemplate,
  type: EventType,
  templateFormat: TemplateFormat,
): Promise<void> {
  const formats = messageFormats.filter((format) => templateFormatOf(format) === templateFormat);
  checkPaths(
    type,
    variablePaths("text", parseTemplate("text", template.subject, "subject")),
    "subject",
  );
  for (const format of formats) {
    checkPaths(type, variablePaths(format, parseTemplate(format, template.body, "body")), "body");
    const rendered = await render(template, sampleEvent(type), format);
    if (rendered.subject === "") throw invalid("subject", "renders to an empty subject");
  }
}
