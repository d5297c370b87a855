// Notification rules: which events go to which channels, and how often (issue 12). A rule
// matches events by type (a type or a dotted prefix), minimum severity, outcome and scope, and
// sends them to its channels, with quiet hours, a repeat interval, grouping into digests and
// flap suppression. The dispatcher (apps/server/src/modules/notifications/rules/) decides with
// these settings; the API validates them with these schemas.
import { z } from "zod";
import { type EventType, eventTypePattern, matchesEventType } from "./events.ts";
import { type Severity, severities, severity } from "./messages.ts";

/** What a rule looks at in an event's outcome: "failure" rules skip successes, and so on. */
export const ruleOutcomes = ["any", "failure", "success"] as const;
export const ruleOutcome = z.enum(ruleOutcomes);
export type RuleOutcome = z.infer<typeof ruleOutcome>;

/** "HH:MM", 00:00 to 23:59. */
export const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day as HH:MM (00:00 to 23:59)");

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** An IANA time zone name, e.g. "Europe/Berlin" or "UTC". */
export const timeZone = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .refine(isTimeZone, "must be an IANA time zone such as Europe/Berlin or UTC");

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export const weekday = z.enum(weekdays);
export type Weekday = z.infer<typeof weekday>;

/**
 * Quiet hours: from `start` to `end` local time in `timeZone` (overnight when end < start), on
 * the days listed (the day the window starts). `hold` keeps what matches until the window ends
 * and sends it then (grouped); `drop` discards it. Critical events pass unless `critical` is
 * also held.
 */
export const quietHours = z
  .object({
    start: clock,
    end: clock,
    timeZone,
    days: z
      .array(weekday)
      .min(1, "must name at least one day")
      .max(7)
      .default([...weekdays]),
    mode: z.enum(["hold", "drop"]).default("hold"),
    includeCritical: z.boolean().default(false),
  })
  .refine((q) => q.start !== q.end, { message: "must differ from start", path: ["end"] });
export type QuietHours = z.infer<typeof quietHours>;

/** N state changes of one target within M minutes are one "flapping" message. */
export const flapSettings = z.object({
  changes: z.number().int().min(2, "must be at least 2").max(50, "must be at most 50"),
  windowMinutes: z.number().int().min(1, "must be at least 1").max(1440, "must be at most 1440"),
});
export type FlapSettings = z.infer<typeof flapSettings>;

export const ruleScope = z
  .object({
    /** only events of this target type ("site", "monitor", "node", …) */
    targetType: z.string().regex(/^[a-z][a-z_]{0,31}$/, "must be a target type such as site"),
    /** and, when set, only this target */
    targetId: z.string().min(1).max(64).nullable().default(null),
  })
  .nullable();
export type RuleScope = z.infer<typeof ruleScope>;

/** The settings of a rule, as the API takes them (the account and channels are checked there). */
export const ruleSettings = z.strictObject({
  eventTypes: z
    .array(eventTypePattern)
    .min(1, 'must name at least one event type or prefix ("" for every type)')
    .max(32, "must name at most 32 types"),
  minSeverity: severity.default("info"),
  outcome: ruleOutcome.default("any"),
  scope: ruleScope.default(null),
  /** the same type and target at most once per interval (0: every time) */
  repeatMinutes: z.number().int().min(0).max(10080, "must be at most 10080 (a week)").default(0),
  /** events of one group (a node's sites, one monitor) within this window are one digest */
  groupSeconds: z.number().int().min(0).max(3600, "must be at most 3600").default(0),
  flap: flapSettings.nullable().default(null),
  quietHours: quietHours.nullable().default(null),
});
export type RuleSettings = z.infer<typeof ruleSettings>;

const severityRank = (s: Severity) => severities.indexOf(s);

/** What a rule needs to know of an event to decide whether it matches. */
export interface RuleEventFacts {
  type: EventType;
  severity: Severity;
  outcome: "success" | "failure" | "none";
  target: { type: string; id: string } | null;
}

/** Does this rule take this event? Quiet hours, repeats and flapping are decided later. */
export function ruleMatches(
  rule: Pick<RuleSettings, "eventTypes" | "minSeverity" | "outcome" | "scope">,
  event: RuleEventFacts,
): boolean {
  if (!rule.eventTypes.some((p) => matchesEventType(p, event.type))) return false;
  if (severityRank(event.severity) < severityRank(rule.minSeverity)) return false;
  if (rule.outcome !== "any" && event.outcome !== rule.outcome) return false;
  if (rule.scope) {
    if (event.target?.type !== rule.scope.targetType) return false;
    if (rule.scope.targetId !== null && event.target.id !== rule.scope.targetId) return false;
  }
  return true;
}
