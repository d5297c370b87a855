// A rule in words, for its row in the list: what it takes (types, severity, outcome, scope)
// and how it sends (quiet hours, repeat, flapping, grouping).
import type { Item } from "../lib/api.ts";

export type Rule = Item<"/api/v1/notification-rules">;
type Settings = Rule["settings"];

export function matchWords(s: Settings): string {
  const types = s.eventTypes
    .map((t) => (t === "" ? "every event" : t.endsWith(".") ? `${t}*` : t))
    .join(", ");
  const parts = [types, `${s.minSeverity} and above`];
  if (s.outcome !== "any") parts.push(`${s.outcome}s only`);
  if (s.scope)
    parts.push(`of ${s.scope.targetType}${s.scope.targetId ? ` ${s.scope.targetId}` : "s"}`);
  return parts.join("; ");
}

export function sendWords(s: Settings): string[] {
  const words: string[] = [];
  if (s.quietHours) {
    const q = s.quietHours;
    words.push(
      `quiet ${q.start}–${q.end} ${q.timeZone} (${q.mode === "hold" ? "held" : "dropped"}${q.includeCritical ? ", critical too" : ""})`,
    );
  }
  if (s.repeatMinutes) words.push(`at most every ${s.repeatMinutes} min per target`);
  if (s.flap) words.push(`flapping after ${s.flap.changes} changes in ${s.flap.windowMinutes} min`);
  if (s.groupSeconds) words.push(`grouped over ${s.groupSeconds} s`);
  return words.length ? words : ["each event at once"];
}
