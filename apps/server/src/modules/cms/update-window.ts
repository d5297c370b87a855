// Update windows (docs/cms.md#update-policies): from a local time for a duration, on the days
// it starts, in the site's time zone; a window past midnight belongs to the day it opens.
// Local times are read with the notifications' wall clock, so a daylight-saving change moves
// the window with the clock.
import type { UpdateWindow } from "@steward/contracts";
import { weekdays } from "@steward/contracts/notifications";
import { wallClock } from "../notifications/rules/quiet.ts";

const MINUTE = 60_000;
const DAY = 1440;
const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** Is `at` inside the window (local time in `timeZone`)? */
export function inWindow(window: UpdateWindow, timeZone: string, at: number): boolean {
  const { day, minute } = wallClock(new Date(at), timeZone);
  const start = minutesOf(window.start);
  const end = start + window.durationMinutes;
  if (minute >= start && minute < end && window.days.includes(day)) return true;
  const previous = weekdays[(weekdays.indexOf(day) + 6) % 7];
  return (
    end > DAY && minute < end - DAY && previous !== undefined && window.days.includes(previous)
  );
}

/** The first instant at or after `from` inside the window. */
export function nextWindowStart(window: UpdateWindow, timeZone: string, from: number): number {
  if (inWindow(window, timeZone, from)) return from;
  const start = minutesOf(window.start);
  const whole = Math.ceil(from / MINUTE) * MINUTE;
  const { minute } = wallClock(new Date(whole), timeZone);
  let candidate = whole + ((start - minute + DAY) % DAY) * MINUTE;
  for (let i = 0; i < 9; i++, candidate += DAY * MINUTE) {
    // a daylight-saving change in between: move by what the wall clock says is off
    const drift = (start - wallClock(new Date(candidate), timeZone).minute + DAY) % DAY;
    const at = candidate + (drift > DAY / 2 ? drift - DAY : drift) * MINUTE;
    if (at >= from && inWindow(window, timeZone, at)) return at;
  }
  throw new Error(
    `no opening of the update window within a week after ${new Date(from).toISOString()}`,
  );
}
