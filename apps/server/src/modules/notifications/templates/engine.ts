// The sandboxed template engine: LiquidJS (no code execution: templates are parsed into a
// tree and interpreted; no `eval`, no `new Function`), one instance per output format whose
// `outputEscape` escapes every value for that format. Hardened beyond Liquid's defaults:
// - only own properties are read (`ownPropertyOnly`): `__proto__`, `constructor` are unknown;
// - an unknown variable or filter is an error (`strictVariables`, `strictFilters`);
// - the `raw` filter (which skips the escaping) is gone, and so are the tags that read files
//   or make layouts (`include`, `render`, `layout`, `block`): only the allowed tags remain;
// - a template is at most MAX_TEMPLATE_LENGTH characters, a render has a time and memory
//   budget (a loop over a huge range stops), and its output at most MAX_BODY_LENGTH.
import {
  MAX_BODY_LENGTH,
  MAX_TEMPLATE_LENGTH,
  type MessageFormat,
} from "@steward/contracts/notifications";
import { Liquid, LiquidError, type Template } from "liquidjs";
import { LRUCache } from "lru-cache";
import { invalid } from "../../../lib/errors.ts";
import { escapeFor, plainText } from "./escape.ts";
import { formatFilters } from "./filters.ts";

/** The render budget: milliseconds of rendering, and Liquid's allocation units. */
const RENDER_LIMIT_MS = 500;
const MEMORY_LIMIT = 1_000_000;

const allowedTags = new Set([
  "if",
  "unless",
  "case",
  "for",
  "break",
  "continue",
  "comment",
  "#",
  "assign",
  "echo",
  "liquid",
  "raw",
]);

function engineFor(format: MessageFormat): Liquid {
  const liquid = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    jsTruthy: false,
    cache: false,
    root: [],
    partials: [],
    layouts: [],
    parseLimit: MAX_TEMPLATE_LENGTH,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
    outputEscape: (value: unknown) => escapeFor(format, value),
  });
  liquid.unregisterFilter("raw");
  const tags = liquid.tags as Record<string, unknown>;
  for (const tag of Object.keys(tags)) if (!allowedTags.has(tag)) delete tags[tag];
  for (const [name, handler] of Object.entries(formatFilters(format)))
    liquid.registerFilter(name, { handler, raw: true });
  return liquid;
}

const engines = new Map<MessageFormat, Liquid>();
const engine = (format: MessageFormat) => {
  let found = engines.get(format);
  if (!found) {
    found = engineFor(format);
    engines.set(format, found);
  }
  return found;
};

/** A Liquid error as a message a template's author can act on. */
function describe(error: unknown): string {
  if (!(error instanceof LiquidError || error instanceof Error)) return String(error);
  const first = error.message.split("\n")[0] ?? error.message;
  return first
    .replace(/^undefined variable: /, "unknown field ")
    .replace(/^undefined filter: /, "unknown filter ")
    .replace(/^tag "(.+)" not found/, "tag $1 is not allowed")
    .replace(/, line:(\d+), col:(\d+)$/, " (line $1, column $2)");
}

/**
 * Parsed templates by format and source: a fan-out renders the same few templates for every
 * event, so each is parsed once (a parsed template is immutable; rendering keeps its state in
 * its own context).
 */
const parsedTemplates = new LRUCache<string, Template[]>({ max: 1000 });

/** Parses a template, or refuses it (VALIDATION_FAILED naming `field`). */
export function parseTemplate(format: MessageFormat, source: string, field: string): Template[] {
  if (source.length > MAX_TEMPLATE_LENGTH)
    throw invalid(field, `must be at most ${MAX_TEMPLATE_LENGTH} characters`);
  const key = `${format}\u0000${source}`;
  const cached = parsedTemplates.get(key);
  if (cached) return cached;
  try {
    const parsed = engine(format).parse(source);
    parsedTemplates.set(key, parsed);
    return parsed;
  } catch (error) {
    throw invalid(field, describe(error));
  }
}

/** The variable paths a parsed template reads from its context (`fields.monitorName`...). */
export const variablePaths = (format: MessageFormat, parsed: Template[]) =>
  engine(format).globalVariableSegmentsSync(parsed);

/** Renders a parsed template with a context, or refuses it (VALIDATION_FAILED naming `field`). */
export async function renderParsed(
  format: MessageFormat,
  parsed: Template[],
  context: object,
  field: string,
): Promise<string> {
  let output: string;
  try {
    output = plainText(await engine(format).render(parsed, context));
  } catch (error) {
    throw invalid(field, describe(error));
  }
  if (output.length > MAX_BODY_LENGTH)
    throw invalid(field, `renders to more than ${MAX_BODY_LENGTH} characters`);
  return output;
}
