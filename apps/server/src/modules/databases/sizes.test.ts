// An account's size per day from its databases' points (sizes.ts accountDays): each database
// counts with its last size of the day, or of an earlier day when it was not sized that day.
import { describe, expect, it } from "vitest";
import { accountDays, daysSince } from "./sizes.ts";

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

describe("accountDays", () => {
  it("adds each database's last size of the day, carried over days without a point", () => {
    const now = at("2026-12-06T12:00:00Z");
    const since = daysSince(now, 4);
    expect(new Date(since).toISOString()).toBe("2026-12-03T00:00:00.000Z");
    const days = accountDays(
      [
        { database_id: "a", at: at("2026-12-04T01:00:00Z"), size_bytes: 100 },
        { database_id: "a", at: at("2026-12-04T23:00:00Z"), size_bytes: 150 },
        { database_id: "b", at: String(at("2026-12-04T05:00:00Z")), size_bytes: "10" },
        { database_id: "b", at: at("2026-12-06T05:00:00Z"), size_bytes: 30 },
      ],
      since,
      now,
    );
    expect(days).toEqual([
      { day: "2026-12-04", sizeBytes: 160 },
      { day: "2026-12-05", sizeBytes: 160 },
      { day: "2026-12-06", sizeBytes: 180 },
    ]);
  });

  it("answers no days without points", () => {
    const now = Date.now();
    expect(accountDays([], daysSince(now), now)).toEqual([]);
    expect(now - daysSince(now)).toBeLessThan(30 * DAY);
  });
});
