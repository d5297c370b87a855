// A rendered notification message: what the templates part produces from an event and what
// every channel sender (modules/notifications/channels) takes. One message carries each body
// already escaped for its output format; a sender picks the one its channel speaks, or asks
// the templates for a Markdown flavour (`markdownFlavors`) when its channel has its own.
import { z } from "zod";
import { noControl } from "../validators.ts";

/** How urgent an event is; also a rendered message's colour/priority hint for senders. */
export const severities = ["info", "warning", "critical"] as const;
export const severity = z.enum(severities);
export type Severity = z.infer<typeof severity>;

/**
 * Markdown dialects with their own escaping rules: CommonMark (email previews, Matrix,
 * generic webhooks), Slack mrkdwn, Telegram MarkdownV2, Discord.
 */
export const markdownFlavors = ["markdown", "slack", "telegram", "discord"] as const;
export const markdownFlavor = z.enum(markdownFlavors);
export type MarkdownFlavor = z.infer<typeof markdownFlavor>;

/** Every output format a template renders to: plain text, a Markdown flavour, or HTML. */
export const messageFormats = ["text", ...markdownFlavors, "html"] as const;
export const messageFormat = z.enum(messageFormats);
export type MessageFormat = z.infer<typeof messageFormat>;

/** The longest subject a template may produce (one line, no control characters). */
export const MAX_SUBJECT_LENGTH = 200;
/** The longest body a template may produce, per format. */
export const MAX_BODY_LENGTH = 16_000;

const body = z.string().max(MAX_BODY_LENGTH, `must be at most ${MAX_BODY_LENGTH} characters`);

export const renderedMessage = z.object({
  /** one line of plain text (email subject, chat title) */
  subject: z
    .string()
    .max(MAX_SUBJECT_LENGTH, `must be at most ${MAX_SUBJECT_LENGTH} characters`)
    .refine(noControl, "must be one line without control characters"),
  /** plain text body: no markup, control characters stripped (newlines and tabs kept) */
  text: body,
  /** CommonMark body, every interpolated value escaped (links and markup inert) */
  markdown: body,
  /** HTML fragment for email, every interpolated value HTML-escaped */
  html: body,
  severity,
  /** a link to the thing the event is about in the console, when there is one */
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
});
export type RenderedMessage = z.infer<typeof renderedMessage>;

/**
 * The formats a template is written in: a Markdown template renders to every Markdown
 * flavour (its own text must then avoid the characters Telegram reserves: see
 * docs/notifications.md), the subject is always plain text.
 */
export const templateFormats = ["text", "markdown", "html"] as const;
export const templateFormat = z.enum(templateFormats);
export type TemplateFormat = z.infer<typeof templateFormat>;
export const templateFormatOf = (format: MessageFormat): TemplateFormat =>
  format === "text" || format === "html" ? format : "markdown";

/** The longest template source (subject or body) accepted. */
export const MAX_TEMPLATE_LENGTH = 8_000;

/** An editable message template: Liquid source of a subject and a body. */
export const messageTemplate = z.object({
  subject: z.string().max(MAX_TEMPLATE_LENGTH, `must be at most ${MAX_TEMPLATE_LENGTH} characters`),
  body: z.string().max(MAX_TEMPLATE_LENGTH, `must be at most ${MAX_TEMPLATE_LENGTH} characters`),
});
export type MessageTemplate = z.infer<typeof messageTemplate>;
