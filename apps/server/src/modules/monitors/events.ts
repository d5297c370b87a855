// Where a monitor's events go: the event log (docs/notifications.md, plan item 2), in the
// transaction that changed the monitor's state, so a rolled-back change leaves no event.
import type { NotificationEvent } from "@steward/contracts/notifications";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { recordEvent } from "../events/record.ts";

/**
 * Records the events of a state change inside its transaction, each grouped by its monitor
 * (`monitor:<id>`), so a rule's grouping and flap suppression count one monitor's changes.
 */
export async function recordMonitorEvents(
  trx: Kysely<Database>,
  events: readonly NotificationEvent[],
): Promise<void> {
  for (const event of events)
    await recordEvent(trx, {
      type: event.type,
      severity: event.severity,
      accountId: event.accountId,
      target: event.target,
      summary: event.summary,
      fields: event.fields,
      groupKey: event.target ? `monitor:${event.target.id}` : null,
      url: event.url,
    });
}
