// A digest: several events of one type grouped into one `notification.digest` event, so 50
// sites failing at once on one node make one message listing them, not 50. Its severity is
// the highest of its events; it lists the first MAX_DIGEST_ITEMS and counts the rest.
import {
  type EventOf,
  type EventTarget,
  eventCatalogue,
  MAX_DIGEST_ITEMS,
  type NotificationEvent,
  type Severity,
  severities,
} from "@steward/contracts/notifications";

export interface DigestOptions {
  id: string;
  occurredAt: string;
  /** what the events have in common (the node the sites failed on), if anything */
  target?: EventTarget | null;
  url?: string | null;
}

const highest = (levels: Severity[]) =>
  levels.reduce(
    (top, level) => (severities.indexOf(level) > severities.indexOf(top) ? level : top),
    "info",
  );

/** Groups events of one type (in the order given) into one digest event. */
export function digestEvent(
  events: NotificationEvent[],
  options: DigestOptions,
): EventOf<"notification.digest"> {
  const [first] = events;
  if (!first) throw new Error("a digest groups at least one event");
  if (events.some((event) => event.type !== first.type))
    throw new Error("a digest groups events of one type");
  const accounts = new Set(events.map((event) => event.accountId));
  const title = eventCatalogue[first.type].title;
  const on = options.target ? ` on ${options.target.name}` : "";
  return {
    id: options.id,
    type: "notification.digest",
    severity: highest(events.map((event) => event.severity)),
    accountId: accounts.size === 1 ? first.accountId : null,
    target: options.target ?? null,
    summary: `${title}${on}: ${events.length} ${events.length === 1 ? "event" : "events"}`,
    occurredAt: options.occurredAt,
    url: options.url ?? null,
    fields: {
      groupType: first.type,
      count: events.length,
      items: events
        .slice(0, MAX_DIGEST_ITEMS)
        .map((event) => ({ summary: event.summary, targetName: event.target?.name ?? null })),
      more: Math.max(0, events.length - MAX_DIGEST_ITEMS),
    },
  };
}
