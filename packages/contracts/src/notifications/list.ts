// The recorded events as the API lists them (GET /api/v1/events): the query's filters and an
// event as answered, with the names of its account and target.
import { z } from "zod";
import { id, isoTime } from "../validators.ts";
import {
  eventOutcome,
  eventTarget,
  eventType,
  eventTypePattern,
  eventTypes,
  matchesEventType,
} from "./events.ts";
import { severity } from "./messages.ts";

export const eventListQuery = z.strictObject({
  /** a type ("site.failed") or a prefix ending with a dot ("task.") */
  type: eventTypePattern
    .refine((p) => p !== "" && eventTypes.some((t) => matchesEventType(p, t)), {
      error: "must be an event type or a prefix of one, like task.failed or task.",
    })
    .optional(),
  /** the least severity shown: warning shows warning and critical */
  severity: severity.optional(),
  outcome: eventOutcome.optional(),
  account: id.optional(),
  targetType: z
    .string()
    .max(32)
    .regex(/^[a-z_]+$/, "must be a target type like site or node")
    .optional(),
  /** a target's id */
  target: id.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});
export type EventListQuery = z.infer<typeof eventListQuery>;

/** A recorded event as the API answers it. */
export const recordedEvent = z.object({
  id: z.string(),
  type: eventType,
  /** the type's title: "Task failed" */
  title: z.string(),
  severity,
  outcome: eventOutcome,
  accountId: z.string().nullable(),
  /** the account's name while it exists */
  accountName: z.string().nullable(),
  /** what the event is about, with its name when the event happened */
  target: eventTarget.nullable(),
  summary: z.string(),
  /** the type's structured fields (docs/notifications.md, "Events") */
  fields: z.record(z.string(), z.unknown()),
  /** events of one key may be grouped into one message (a site's node, a task's kind and target) */
  groupKey: z.string().nullable(),
  /** where to look in the console */
  url: z.string().nullable(),
  occurredAt: z.string(),
});
export type RecordedEvent = z.infer<typeof recordedEvent>;
