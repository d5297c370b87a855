// When a delivery waits before its attempt (docs/notifications.md, "Order and grouping"): a
// rule's deliveries to a channel leave in the order they were made, so one waits for the
// final outcome (sent, failed, dropped) of an earlier one still to come, for at most
// ORDER_WAIT_MS after that earlier one was made (a dead channel then no longer holds the
// later ones back); and a digest waits until the dispatcher has read every event made before
// its window ended (a dispatcher behind still adds them to it), for at most GROUP_WAIT_MS
// past that end.
import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema.ts";
import { idAt } from "../../../lib/ids.ts";
import { EVENT_ID, eventsBetween } from "../../events/repo.ts";
import * as repo from "./repo.ts";

export const ORDER_WAIT_MS = 10 * 60_000;
/** the deliveries' retries (deliver.ts): an earlier one's next attempt is known from it */
export const DELIVERY_BACKOFF = { baseMs: 2_000, maxMs: 15 * 60_000 };
export const GROUP_WAIT_MS = 5 * 60_000;
/** how soon a waiting digest looks again */
const GROUP_POLL_MS = 1_000;

export interface Wait {
  why: string;
  runAt: number;
}

/** The latest time an earlier delivery's next attempt runs (its backoff's ceiling). */
const nextAttemptBy = (d: Pick<repo.DeliveryRow, "due_at" | "attempts" | "updated_at">) => {
  const attempts = Number(d.attempts);
  if (attempts === 0) return Number(d.due_at);
  const { baseMs, maxMs } = DELIVERY_BACKOFF;
  return Number(d.updated_at) + Math.min(maxMs, baseMs * 2 ** (attempts - 1));
};

export async function waitBefore(
  db: Kysely<Database>,
  delivery: repo.DeliveryRow,
  now: number,
): Promise<Wait | null> {
  const earlier = await repo.earlierUnfinished(db, delivery, now - ORDER_WAIT_MS);
  if (earlier)
    return {
      why: `waits for delivery ${earlier.id}, made before it for the same rule and channel`,
      // just after the earlier one's next attempt (its task runs first: it is due first)
      runAt: Math.max(now + 250, nextAttemptBy(earlier) + 1),
    };
  const windowEnd = Number(delivery.due_at);
  if (delivery.group_key === null || now >= windowEnd + GROUP_WAIT_MS) return null;
  const cursor = await repo.dispatchCursor(db);
  if (!cursor) return null;
  const unread = await eventsBetween(db, cursor, idAt(EVENT_ID, windowEnd), 1);
  if (!unread.length) return null;
  return {
    why: "waits for the dispatcher to read the events of its group's window",
    runAt: now + GROUP_POLL_MS,
  };
}
