// Quiet hours: whether an instant falls inside a rule's quiet window, and when that window
// ends, in the rule's own time zone (docs/notifications.md, "Rules"). An overnight window
// (22:00–07:00) belongs to the day it starts on. The end is found on the wall clock and then
// checked against it, so a daylight-saving jump inside the window moves the end with the clock.
import type { QuietHours, Weekday } from "@steward/contracts/notifications";

const MINUTE = 60_000;
const DAY_MINUTES = 1440;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const dayNames: Record<string, Weekday> = {
  Mon: "mon",
  Tue: "tue",
  Wed: "wed",
  Thu: "thu",
  Fri: "fri",
  Sat: "sat",
  Sun: "sun",
};
const order: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** The local weekday and minute of the day of an instant in a time zone. */
export function wallClock(at: Date, timeZone: string): { day: Weekday; minute: number } {
  const parts = formatter(timeZone).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = dayNames[part("weekday")];
  if (!day) throw new Error(`no weekday for ${at.toISOString()} in ${timeZone}`);
  return { day, minute: Number(part("hour")) * 60 + Number(part("minute")) };
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const previousDay = (day: Weekday) => order[(order.indexOf(day) + 6) % 7] as Weekday;

/** Is `at` inside the quiet window? */
export function inQuietHours(quiet: QuietHours, at: Date): boolean {
  const { day, minute } = wallClock(at, quiet.timeZone);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start < end) return quiet.days.includes(day) && minute >= start && minute < end;
  if (minute >= start) return quiet.days.includes(day);
  return minute < end && quiet.days.includes(previousDay(day));
}

/** When the quiet window that holds `at` ends (the first instant outside it), or null. */
export function quietHoursEnd(quiet: QuietHours, at: Date): Date | null {
  if (!inQuietHours(quiet, at)) return null;
  const end = minutesOf(quiet.end);
  const { minute } = wallClock(at, quiet.timeZone);
  const wholeMinute = Math.floor(at.getTime() / MINUTE) * MINUTE;
  let candidate = new Date(wholeMinute + ((end - minute + DAY_MINUTES) % DAY_MINUTES) * MINUTE);
  // a daylight-saving change in between: move by what the wall clock says is left
  const drift = (end - wallClock(candidate, quiet.timeZone).minute + DAY_MINUTES) % DAY_MINUTES;
  if (drift !== 0) {
    const signed = drift > DAY_MINUTES / 2 ? drift - DAY_MINUTES : drift;
    candidate = new Date(candidate.getTime() + signed * MINUTE);
  }
  return candidate;
}
