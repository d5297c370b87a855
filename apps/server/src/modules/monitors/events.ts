// Where a monitor's events go: the event log (docs/notifications.md, plan item 2), in the
// transaction that changed the monitor's state, so a rolled-back change leaves no event.
import type { NotificationEvent } from "@steward/contracts/notifications";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";

/**
 * Records the events of a state change inside its transaction. The `events` table and
 * `recordEvent(trx, input)` (modules/events/record.ts) are built beside this on another branch:
 * when they are merged this body calls recordEvent for each event. Until then the events are
 * kept nowhere (the state machine's tests read them from applyResult).
 */
export async function recordMonitorEvents(
  _trx: Kysely<Database>,
  _events: readonly NotificationEvent[],
): Promise<void> {}
