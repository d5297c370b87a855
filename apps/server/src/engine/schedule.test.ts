// Unit tests of the scheduling arithmetic: backoff with jitter, and cron in a time zone.
import { describe, expect, it } from "vitest";
import { backoffMs, checkSchedule, nextRun } from "./schedule.ts";

describe("backoffMs", () => {
  const opts = { baseMs: 1_000, maxMs: 60_000 };

  it("doubles per attempt, with jitter between half the ceiling and the ceiling", () => {
    for (const [attempt, ceiling] of [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 8_000],
      [6, 32_000],
    ] as const) {
      expect(backoffMs(attempt, opts, () => 0)).toBe(ceiling / 2);
      expect(backoffMs(attempt, opts, () => 0.999_999)).toBeLessThanOrEqual(ceiling);
      expect(backoffMs(attempt, opts, () => 0.999_999)).toBeGreaterThan(ceiling * 0.99);
      for (let i = 0; i < 200; i++) {
        const ms = backoffMs(attempt, opts);
        expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
        expect(ms).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it("is capped at maxMs however many attempts failed", () => {
    for (const attempt of [7, 10, 50, 1_000]) {
      expect(backoffMs(attempt, opts, () => 0.999_999)).toBeLessThanOrEqual(60_000);
      expect(backoffMs(attempt, opts, () => 0)).toBe(30_000);
    }
  });

  it("spreads retries (jitter) instead of making them all wait the same", () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffMs(3, opts)));
    expect(seen.size).toBeGreaterThan(10);
  });

  it("defaults to 5 s doubling up to 15 min", () => {
    expect(backoffMs(1, undefined, () => 0)).toBe(2_500);
    expect(backoffMs(1, undefined, () => 0.999_999)).toBeLessThanOrEqual(5_000);
    expect(backoffMs(100, undefined, () => 0.999_999)).toBeLessThanOrEqual(15 * 60_000);
  });

  it("treats attempt 0 or less like the first attempt", () => {
    expect(backoffMs(0, opts, () => 0)).toBe(500);
    expect(backoffMs(-3, opts, () => 0)).toBe(500);
  });
});

describe("nextRun", () => {
  const winter = Date.UTC(2024, 0, 15, 0, 0, 0); // 15 Jan 2024 00:00 UTC, Paris is UTC+1
  const summer = Date.UTC(2024, 6, 15, 0, 0, 0); // 15 Jul 2024, Paris is UTC+2

  it("computes 09:00 in the task's time zone, not in UTC", () => {
    expect(nextRun("0 9 * * *", "UTC", winter)).toBe(Date.UTC(2024, 0, 15, 9));
    expect(nextRun("0 9 * * *", "Europe/Paris", winter)).toBe(Date.UTC(2024, 0, 15, 8));
    expect(nextRun("0 9 * * *", "Europe/Paris", summer)).toBe(Date.UTC(2024, 6, 15, 7));
    expect(nextRun("0 9 * * *", "America/New_York", winter)).toBe(Date.UTC(2024, 0, 15, 14));
  });

  it("uses the process's time zone when the task names none", () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(nextRun("0 9 * * *", null, winter)).toBe(nextRun("0 9 * * *", zone, winter));
  });

  it("is strictly after `from`, so a task that just ran is not due again", () => {
    const at9 = Date.UTC(2024, 0, 15, 9);
    expect(nextRun("0 9 * * *", "UTC", at9)).toBe(Date.UTC(2024, 0, 16, 9));
  });

  it("supports seconds (six fields)", () => {
    const from = Date.UTC(2024, 0, 15, 0, 0, 0, 200);
    expect(nextRun("*/1 * * * * *", "UTC", from)).toBe(Date.UTC(2024, 0, 15, 0, 0, 1));
  });

  it("does not replay missed occurrences: after downtime the next run is after now", () => {
    const now = Date.UTC(2024, 0, 15, 12, 34, 56);
    expect(nextRun("0 * * * *", "UTC", now)).toBe(Date.UTC(2024, 0, 15, 13));
  });
});

describe("checkSchedule", () => {
  it("accepts valid expressions and zones", () => {
    expect(() => checkSchedule("0 9 * * *", "Europe/Paris")).not.toThrow();
    expect(() => checkSchedule("*/5 * * * * *", null)).not.toThrow();
  });

  it("names the field that is wrong", () => {
    expect(() => checkSchedule("0 9 * * *", "Mars/Olympus")).toThrow(
      /^timezone: unknown time zone/,
    );
    expect(() => checkSchedule("not cron", "UTC")).toThrow(/^expression: not a valid cron/);
    expect(() => checkSchedule("0 0 30 2 *", "UTC")).toThrow(/^expression: /);
  });
});
