// Flap suppression: a target that changes state N times within M minutes sends one
// "flapping" message instead of N; while it keeps flapping nothing more is sent, and the first
// change after it has been stable for the window is sent as usual, which ends the flapping
// (docs/notifications.md, "Rules").
import type { FlapSettings } from "@steward/contracts/notifications";

const MINUTE = 60_000;

export type FlapDecision =
  /** send the event as usual */
  | { action: "send"; flapping: false }
  /** send one "flapping" message in its place; the target is flapping from now */
  | { action: "flapping"; flapping: true; changes: number }
  /** the target is flapping and was already announced: send nothing */
  | { action: "suppress"; flapping: true };

/**
 * Decide for a state change at `at`, given the times of this target's state changes within
 * the window before it (`at` included or not: counted once) and whether it is already
 * announced as flapping.
 */
export function flapDecision(
  settings: FlapSettings | null,
  at: Date,
  recentChanges: readonly Date[],
  alreadyFlapping: boolean,
): FlapDecision {
  if (!settings) return { action: "send", flapping: false };
  const since = at.getTime() - settings.windowMinutes * MINUTE;
  const times = new Set(recentChanges.map((d) => d.getTime()).filter((t) => t > since));
  times.add(at.getTime());
  if (times.size < settings.changes) return { action: "send", flapping: false };
  if (alreadyFlapping) return { action: "suppress", flapping: true };
  return { action: "flapping", flapping: true, changes: times.size };
}
