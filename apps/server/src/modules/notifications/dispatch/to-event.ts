// A recorded event (a row of `events`) as the renderers take it, with its console link; and
// the event a delivery sends: the event, a digest of its group, or one "flapping" message.
import type { EventOf, EventType, NotificationEvent } from "@steward/contracts/notifications";
import type { EventRow } from "../../events/repo.ts";
import { digestEvent } from "../templates/index.ts";
import type { DeliveryRow } from "./repo.ts";

const PAGES: Record<string, string> = { site: "/sites", node: "/nodes", task: "/tasks" };

const consoleUrl = (row: EventRow, publicUrl: string) => {
  if (row.url) return row.url;
  const page = row.target_type ? PAGES[row.target_type] : undefined;
  return page && row.target_id ? new URL(`${page}/${row.target_id}`, publicUrl).toString() : null;
};

export function toNotificationEvent(row: EventRow, publicUrl: string): NotificationEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    severity: row.severity,
    accountId: row.account_id,
    target:
      row.target_type && row.target_id
        ? { type: row.target_type, id: row.target_id, name: row.target_name ?? row.target_id }
        : null,
    summary: row.summary,
    occurredAt: new Date(Number(row.created_at)).toISOString(),
    url: consoleUrl(row, publicUrl),
    fields: JSON.parse(row.fields),
  } as NotificationEvent;
}

/** One "flapping" message in place of a target's state change. */
function flappingEvent(
  event: NotificationEvent,
  flap: { changes: number; windowMinutes: number },
): EventOf<"monitor.flapping"> {
  const target = event.target;
  const fields = event.fields as Record<string, unknown>;
  const name = target?.name ?? event.summary;
  return {
    id: event.id,
    type: "monitor.flapping",
    severity: "warning",
    accountId: event.accountId,
    target,
    summary: `${name} is flapping: ${flap.changes} changes within ${flap.windowMinutes} minutes`,
    occurredAt: event.occurredAt,
    url: event.url,
    fields: {
      monitorId: target?.id ?? event.id,
      monitorName: name,
      monitorTarget: typeof fields.monitorTarget === "string" ? fields.monitorTarget : name,
      transitions: flap.changes,
      windowMinutes: flap.windowMinutes,
    },
  };
}

/** What a delivery sends, from its events in id order. */
export function deliveryEvent(
  delivery: DeliveryRow,
  events: NotificationEvent[],
  now: number,
): NotificationEvent {
  const [first] = events;
  if (!first) throw new Error(`delivery ${delivery.id} has no event`);
  if (delivery.flapping) return flappingEvent(first, JSON.parse(delivery.flapping));
  if (events.length === 1) return first;
  const sameTarget = events.every((e) => e.target?.id === first.target?.id);
  return digestEvent(events, {
    id: delivery.id,
    occurredAt: new Date(now).toISOString(),
    target: sameTarget ? first.target : null,
    url: sameTarget ? first.url : null,
  });
}
