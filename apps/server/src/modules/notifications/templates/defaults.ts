// The default template of each event type in each template format, generated from its spec
// (default-specs.ts): the summary in bold, one labelled line per field, a list for a digest,
// and a link to the console. These are ordinary templates: what a super user edits starts
// from them, and "reset to default" returns to them.
import type { EventType, MessageTemplate, TemplateFormat } from "@steward/contracts/notifications";
import { type DefaultLine, type DefaultSpec, defaultSpecs } from "./default-specs.ts";

const liquidOut = (expression: string) => `{{ ${expression} }}`;
const guarded = (entry: DefaultLine, text: string) =>
  entry.when ? `{% if ${entry.when} != nil %}${text}{% endif %}` : text;
const lineValue = (entry: DefaultLine) =>
  liquidOut(entry.value) + (entry.unit ? ` ${entry.unit}` : "");

const linkLine = liquidOut('event.url | link: "Open in Steward"');
const hasUrl = (text: string) => `{% if event.url != nil %}${text}{% endif %}`;

function plainBody(spec: DefaultSpec, strong: (expression: string) => string): string {
  const lines = spec.lines.map((entry) => guarded(entry, `\n${entry.label}: ${lineValue(entry)}`));
  const list = spec.list
    ? `\n{% for item in ${spec.list.items} %}\n• ${liquidOut(spec.list.item)}{% endfor %}` +
      `{% if ${spec.list.more} > 0 %}\n• and ${liquidOut(spec.list.more)} more{% endif %}`
    : "";
  return `${strong("event.summary")}\n${lines.join("")}${list}\n${hasUrl(`\n${linkLine}`)}`;
}

function htmlBody(spec: DefaultSpec): string {
  const lines = spec.lines.map((entry) =>
    guarded(entry, `<li>${entry.label}: ${lineValue(entry)}</li>`),
  );
  const list = spec.list
    ? `\n<ul>{% for item in ${spec.list.items} %}<li>${liquidOut(spec.list.item)}</li>{% endfor %}` +
      `{% if ${spec.list.more} > 0 %}<li>and ${liquidOut(spec.list.more)} more</li>{% endif %}</ul>`
    : "";
  return `<p>${liquidOut("event.summary | strong")}</p>\n<ul>${lines.join("")}</ul>${list}\n${hasUrl(`<p>${linkLine}</p>`)}`;
}

const bodies: Record<TemplateFormat, (spec: DefaultSpec) => string> = {
  text: (spec) => plainBody(spec, liquidOut),
  markdown: (spec) => plainBody(spec, (expression) => liquidOut(`${expression} | strong`)),
  html: htmlBody,
};

/** The default template of an event type in a template format (a fresh object each call). */
export function defaultTemplate(type: EventType, format: TemplateFormat): MessageTemplate {
  const spec = defaultSpecs[type];
  return { subject: spec.subject, body: bodies[format](spec) };
}
