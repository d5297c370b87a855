// What a template sees: `event` (type, title, severity, outcome, summary, occurredAt, url),
// `target` (type, id, name; empty strings when the event has none) and `fields` (the event
// type's structured fields). Plain data copied from the event, nothing with methods.
import {
  type EventType,
  eventCatalogue,
  type NotificationEvent,
  sampleEvent,
} from "@steward/contracts/notifications";
import { invalid } from "../../../lib/errors.ts";

/** A variable path as Liquid's static analysis gives it: `["fields", "items", 0, "summary"]`. */
export type SegmentArray = Array<string | number | SegmentArray>;

export function templateContext(event: NotificationEvent) {
  const entry = eventCatalogue[event.type];
  return {
    event: {
      id: event.id,
      type: event.type,
      title: entry.title,
      severity: event.severity,
      outcome: entry.outcome,
      accountId: event.accountId,
      summary: event.summary,
      occurredAt: event.occurredAt,
      url: event.url,
    },
    target: event.target ?? { type: "", id: "", name: "" },
    fields: structuredClone(event.fields) as Record<string, unknown>,
  };
}

/** Properties Liquid gives every array and string. */
const builtIns = new Set(["size", "first", "last"]);

/** The first segment of `path` that `value` does not have, or null when it has them all. */
function missingSegment(value: unknown, path: SegmentArray): number | null {
  let current = value;
  for (const [index, segment] of path.entries()) {
    if (Array.isArray(segment)) return null; // a computed index: checked when rendering
    if (Array.isArray(current) || typeof current === "string") {
      if (segment === "size") return null;
      if (typeof segment === "number" || builtIns.has(segment)) {
        current = Array.isArray(current) ? current[0] : undefined;
        continue;
      }
      return index;
    }
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment))
      return index;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return null;
}

/**
 * Refuses a template that reads a field its event type does not have, even in a branch the
 * sample event does not take: the error names the field ("unknown field fields.nodeName").
 */
export function checkPaths(type: EventType, paths: SegmentArray[], field: string) {
  const context = templateContext(sampleEvent(type));
  for (const path of paths) {
    const missing = missingSegment(context, path);
    if (missing === null) continue;
    const name = path
      .slice(0, missing + 1)
      .map((segment) => (Array.isArray(segment) ? "[…]" : String(segment)))
      .join(".");
    throw invalid(field, `unknown field ${name} for ${type} events`);
  }
}
