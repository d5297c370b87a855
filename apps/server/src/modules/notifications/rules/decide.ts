// What a matching rule does with one event (docs/notifications.md, "Rules"): drop it (a
// repeat within the interval, quiet hours that drop, flapping already announced), or deliver
// it — now, at the end of its group window, or when quiet hours end — possibly as one
// "flapping" message in its place. Pure: the dispatcher gathers the facts (the last delivery
// of the same type and target, the target's recent state changes) and records the outcome.
import type { RuleSettings, Severity } from "@steward/contracts/notifications";
import { flapDecision } from "./flap.ts";
import { quietHoursEnd } from "./quiet.ts";

const MINUTE = 60_000;
const SECOND = 1000;
/** the event a flapping monitor makes itself (its state machine's own flap count) */
const FLAPPING_TYPE = "monitor.flapping";

export interface EventFacts {
  type: string;
  severity: Severity;
  target: { type: string; id: string } | null;
  /** events of one group within the rule's window are one digest: a site's node, a monitor */
  groupKey: string | null;
  occurredAt: Date;
  /** a state change of its target (monitor down/up, node unreachable/reachable) */
  stateChange: boolean;
}

export interface RuleHistory {
  /** when this rule last delivered an event of the same type and target */
  lastSentAt: Date | null;
  /** the target's state changes within the rule's flap window */
  recentChanges: readonly Date[];
  /** this rule has announced the target as flapping and it has not been stable since */
  flapping: boolean;
}

export type RuleDecision =
  | { action: "drop"; reason: "repeat" | "quiet-hours" | "flapping" }
  | {
      action: "deliver";
      /** when the delivery runs: the end of the group window or of quiet hours */
      dueAt: Date;
      /** deliveries of one rule and group key, due at the same time, are one digest */
      group: string | null;
      /** send one "flapping" message instead of the event */
      flapping: { changes: number; windowMinutes: number } | null;
    };

/** The key a repeat interval counts by: the same type and target. */
export const repeatKey = (event: Pick<EventFacts, "type" | "target">) =>
  `${event.type}|${event.target ? `${event.target.type}:${event.target.id}` : "-"}`;

/** The key events are grouped by: the same type and group (or type alone without a group). */
export const groupKey = (event: Pick<EventFacts, "type" | "groupKey">) =>
  `${event.type}|${event.groupKey ?? "*"}`;

export function decide(rule: RuleSettings, event: EventFacts, history: RuleHistory): RuleDecision {
  const at = event.occurredAt;
  let flapping: { changes: number; windowMinutes: number } | null = null;
  // a monitor says it is flapping too (its own count): a rule that already said so for this
  // target sends one "flapping" message, not two
  if (rule.flap && history.flapping && event.type === FLAPPING_TYPE)
    return { action: "drop", reason: "flapping" };
  if (event.stateChange && rule.flap) {
    const flap = flapDecision(rule.flap, at, history.recentChanges, history.flapping);
    if (flap.action === "suppress") return { action: "drop", reason: "flapping" };
    if (flap.action === "flapping")
      flapping = { changes: flap.changes, windowMinutes: rule.flap.windowMinutes };
  }
  // a state change always goes out (down after up is news); other events respect the interval
  if (!event.stateChange && rule.repeatMinutes > 0 && history.lastSentAt) {
    if (at.getTime() - history.lastSentAt.getTime() < rule.repeatMinutes * MINUTE)
      return { action: "drop", reason: "repeat" };
  }
  let dueAt = new Date(at.getTime() + rule.groupSeconds * SECOND);
  const quiet = rule.quietHours;
  if (quiet && (event.severity !== "critical" || quiet.includeCritical)) {
    const end = quietHoursEnd(quiet, at);
    if (end && quiet.mode === "drop") return { action: "drop", reason: "quiet-hours" };
    if (end && end > dueAt) dueAt = end;
  }
  const grouped = rule.groupSeconds > 0 || (quiet?.mode === "hold" && dueAt > at);
  return {
    action: "deliver",
    dueAt,
    group: grouped && !flapping ? groupKey(event) : null,
    flapping,
  };
}
