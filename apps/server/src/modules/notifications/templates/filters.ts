// The filters a template may use beyond Liquid's standard ones, each aware of the format it
// renders to and escaping what it wraps: `{{ fields.monitorName | strong }}` is bold in every
// Markdown flavour and in HTML, `{{ event.url | link: "Open in Steward" }}` a link (http and
// https only; anything else prints the label alone).
import type { MessageFormat } from "@steward/contracts/notifications";
import { asText, escapeFor, htmlEscape } from "./escape.ts";

/** Characters percent-encoded in a link so it cannot close the markup around it. */
const urlBreakers = /[()<>|"'\\`\s[\]{}]/g;
const percent = (char: string) =>
  `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;

/** An http(s) URL made safe inside any format's link syntax, or null. */
export function safeUrl(value: unknown): string | null {
  if (typeof value !== "string" || !URL.canParse(value)) return null;
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return url.href.replace(urlBreakers, percent);
}

const strongMarks: Record<MessageFormat, [string, string]> = {
  text: ["", ""],
  markdown: ["**", "**"],
  discord: ["**", "**"],
  slack: ["*", "*"],
  telegram: ["*", "*"],
  html: ["<strong>", "</strong>"],
};

function link(format: MessageFormat, target: unknown, label: unknown): string {
  const url = safeUrl(target);
  const text = escapeFor(format, label ?? target);
  if (!url) return text;
  switch (format) {
    case "text":
      return `${text}: ${url}`;
    case "slack":
      return `<${url}|${text}>`;
    case "html":
      return `<a href="${htmlEscape(url)}">${text}</a>`;
    default:
      return `[${text}](${url})`;
  }
}

/** The format-aware filters, by name; registered as raw (they escape what they print). */
export function formatFilters(
  format: MessageFormat,
): Record<string, (...args: unknown[]) => string> {
  const [open, close] = strongMarks[format];
  return {
    strong: (value) => (asText(value) === "" ? "" : `${open}${escapeFor(format, value)}${close}`),
    link: (target, label) => link(format, target, label),
  };
}
