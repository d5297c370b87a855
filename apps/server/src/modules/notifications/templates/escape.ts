// Escaping per output format. Every value a template outputs passes the escaper of the format
// being rendered (the engine's `outputEscape`), so a site named `<script>`, `[x](http://evil)`,
// `{{ secret }}` or `@everyone` reaches the reader as those characters and nothing more.
import type { MessageFormat } from "@steward/contracts/notifications";

/**
 * Control characters (C0, DEL, C1), the line/paragraph separators and the bidirectional
 * controls (as in the contracts' `noControl`): removed from every value, in every format.
 * Newlines and tabs become a space, so a value cannot start a line of its own (a forged
 * "Resolved" line, a Markdown heading or list).
 */
const controls =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const lineBreaks = /[\t\n\r]+/g;

/** A value as one line of plain text: no control characters, no line breaks. */
export const plainValue = (value: string) => value.replace(lineBreaks, " ").replace(controls, "");

/** Template text in plain text: its own line breaks and tabs kept, other controls removed. */
export const plainText = (text: string) => text.replace(controls, "");

/** CommonMark, Telegram MarkdownV2 and Discord all take a backslash before any ASCII punctuation. */
const asciiPunctuation = /[!-/:-@[-`{-~]/g;
const backslashEscape = (value: string) => value.replace(asciiPunctuation, "\\$&");

/** `@everyone` and `@here` ping a whole Discord channel: a zero-width space keeps them text. */
const discordMentions = /@(everyone|here)/gi;

/**
 * Slack mrkdwn has no escape character: `&`, `<` and `>` become entities (which is what Slack
 * documents, and what makes `<https://evil|x>` links and `<!channel>` mentions inert), and the
 * formatting characters become their full-width look-alikes.
 */
const slackEntities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const slackLookAlikes: Record<string, string> = { "*": "＊", _: "＿", "~": "～", "`": "｀" };
const slackEscape = (value: string) =>
  value
    .replace(/[&<>]/g, (char) => slackEntities[char] ?? char)
    .replace(/[*_~`]/g, (char) => slackLookAlikes[char] ?? char);

const htmlEntities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const htmlEscape = (value: string) =>
  value.replace(/[&<>"']/g, (char) => htmlEntities[char] ?? char);

/** The escaper of each format, applied to every value a template outputs. */
export const escapers: Record<MessageFormat, (value: string) => string> = {
  text: plainValue,
  markdown: (value) => backslashEscape(plainValue(value)),
  telegram: (value) => backslashEscape(plainValue(value)),
  discord: (value) => backslashEscape(plainValue(value)).replace(discordMentions, "@\u200b$1"),
  slack: (value) => slackEscape(plainValue(value)),
  html: (value) => htmlEscape(plainValue(value)),
};

/** A value of any type as the text a template prints (null and undefined print nothing). */
export const asText = (value: unknown): string => {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(asText).join(", ");
  return typeof value === "object" ? "" : String(value);
};

/** Escapes a value of any type for a format. */
export const escapeFor = (format: MessageFormat, value: unknown) => escapers[format](asText(value));
