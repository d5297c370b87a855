// Retention over a simulated year: every hour of 2026 backed up, then GFS and keep-last give
// exactly the expected artifacts (written out by hand, not computed the same way); only good
// artifacts count, the only good copy is never deleted, periods follow the plan's time zone.
import { describe, expect, it } from "vitest";
import { isoWeek, type RetainedArtifact, retain } from "./retention.ts";

const HOUR = 3_600_000;
const start = Date.parse("2026-01-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const byIso = (artifacts: RetainedArtifact[], ids: string[]) => {
  const at = new Map(artifacts.map((a) => [a.id, iso(a.createdAt)]));
  return ids.map((id) => at.get(id));
};

/** one artifact an hour for the whole of 2026, good unless `bad` says otherwise */
function year(bad: (at: number) => boolean = () => false): RetainedArtifact[] {
  const out: RetainedArtifact[] = [];
  for (let at = start; at < Date.parse("2027-01-01T00:00:00Z"); at += HOUR)
    out.push({ id: `a${out.length}`, createdAt: at, good: !bad(at) });
  return out;
}
const now = Date.parse("2027-01-01T00:30:00Z");

describe("retain", () => {
  it("GFS over a year of hourly runs keeps exactly the expected set", () => {
    const artifacts = year();
    const { keep, delete: removed } = retain(
      artifacts,
      { gfs: { hourly: 24, daily: 7, weekly: 4, monthly: 12, yearly: 2 } },
      now,
    );
    const hours = Array.from(
      { length: 24 },
      (_, h) => `2026-12-31T${String(23 - h).padStart(2, "0")}:00`,
    );
    expect(byIso(artifacts, keep)).toEqual([
      ...hours, // the last 24 hours (Dec 31 also fills the day, ISO week 53, December, 2026)
      "2026-12-30T23:00",
      "2026-12-29T23:00",
      "2026-12-28T23:00",
      "2026-12-27T23:00", // also ISO week 52
      "2026-12-26T23:00",
      "2026-12-25T23:00",
      "2026-12-20T23:00", // ISO week 51
      "2026-12-13T23:00", // ISO week 50
      "2026-11-30T23:00",
      "2026-10-31T23:00",
      "2026-09-30T23:00",
      "2026-08-31T23:00",
      "2026-07-31T23:00",
      "2026-06-30T23:00",
      "2026-05-31T23:00",
      "2026-04-30T23:00",
      "2026-03-31T23:00",
      "2026-02-28T23:00",
      "2026-01-31T23:00",
    ]);
    expect(keep.length + removed.length).toBe(8760);
  });

  it("counts only good artifacts: a bad one is deleted and its period filled by the next good", () => {
    // every artifact of December 31 after 12:00 failed its check, and the end of November too
    const artifacts = year(
      (at) => at >= Date.parse("2026-12-31T12:00:00Z") || iso(at) === "2026-11-30T23:00",
    );
    const { keep } = retain(
      artifacts,
      { gfs: { hourly: 3, daily: 2, weekly: 0, monthly: 3, yearly: 0 } },
      now,
    );
    expect(byIso(artifacts, keep)).toEqual([
      "2026-12-31T11:00",
      "2026-12-31T10:00",
      "2026-12-31T09:00",
      "2026-12-30T23:00",
      "2026-11-30T22:00",
      "2026-10-31T23:00",
    ]);
  });

  it("keep-last keeps the newest N good artifacts", () => {
    const artifacts = year((at) => at === Date.parse("2026-12-31T22:00:00Z"));
    const { keep, delete: removed } = retain(artifacts, { keepLast: 3 }, now);
    expect(byIso(artifacts, keep)).toEqual([
      "2026-12-31T23:00",
      "2026-12-31T21:00",
      "2026-12-31T20:00",
    ]);
    expect(removed).toHaveLength(8757);
    expect(removed).toContain(artifacts.find((a) => !a.good)?.id);
  });

  it("never deletes the only good copy", () => {
    const artifacts: RetainedArtifact[] = [
      { id: "old-good", createdAt: Date.parse("2020-01-01T00:00:00Z"), good: true },
      { id: "new-bad", createdAt: Date.parse("2026-12-31T00:00:00Z"), good: false },
    ];
    expect(retain(artifacts, { keepLast: 1 }, now)).toEqual({
      keep: ["old-good"],
      delete: ["new-bad"],
    });
    const gfsNone = { gfs: { hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 } };
    expect(retain(artifacts, gfsNone, now).keep).toEqual(["old-good"]);
    expect(retain([], { keepLast: 2 }, now)).toEqual({ keep: [], delete: [] });
  });

  it("keeps what is dated after now and leaves it out of the counts", () => {
    const artifacts: RetainedArtifact[] = [
      { id: "ahead", createdAt: now + HOUR, good: true },
      { id: "b", createdAt: now - HOUR, good: true },
      { id: "c", createdAt: now - 2 * HOUR, good: true },
    ];
    expect(retain(artifacts, { keepLast: 1 }, now)).toEqual({
      keep: ["ahead", "b"],
      delete: ["c"],
    });
  });

  it("cuts periods in the plan's time zone", () => {
    // 03:00 and 06:00 UTC on March 1 are 22:00 on February 28 and 01:00 on March 1 in New York
    const artifacts: RetainedArtifact[] = [
      { id: "late", createdAt: Date.parse("2026-03-01T06:00:00Z"), good: true },
      { id: "early", createdAt: Date.parse("2026-03-01T03:00:00Z"), good: true },
    ];
    const monthly = { gfs: { hourly: 0, daily: 0, weekly: 0, monthly: 2, yearly: 0 } };
    expect(retain(artifacts, monthly, now, "UTC").keep).toEqual(["late"]);
    expect(retain(artifacts, monthly, now, "America/New_York").keep).toEqual(["late", "early"]);
  });

  it("numbers ISO weeks across year ends", () => {
    expect(isoWeek(2026, 12, 31)).toEqual([2026, 53]);
    expect(isoWeek(2027, 1, 3)).toEqual([2026, 53]);
    expect(isoWeek(2027, 1, 4)).toEqual([2027, 1]);
    expect(isoWeek(2024, 12, 30)).toEqual([2025, 1]);
  });
});
