import { describe, expect, it } from "vitest";
import { msToIso } from "./iso.ts";

const viaDate = (ms: number) => new Date(ms).toISOString();

describe("msToIso", () => {
  it("writes what toISOString writes", () => {
    const edges = [
      0,
      1,
      999,
      86399999,
      86400000,
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29, 12, 0, 0, 5),
      Date.UTC(2000, 2, 1),
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2100, 1, 28, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1),
      Date.UTC(2026, 11, 6, 21, 15, 0, 42),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    for (const ms of edges) expect(msToIso(ms)).toBe(viaDate(ms));
    // 1970 to 9999, each step 997 days and 1 h 2 min 3.457 s on: every field moves
    for (let ms = 0; ms < 253402300799999; ms += 86400000 * 997 + 3723457)
      expect(msToIso(ms)).toBe(viaDate(ms));
  });

  it("writes a day's times right whichever day came before (the last day's date is kept)", () => {
    const a = Date.UTC(2026, 11, 6, 1, 2, 3, 4);
    const b = Date.UTC(2026, 11, 6, 23, 59, 59, 999);
    const c = Date.UTC(2026, 11, 7);
    for (const ms of [a, b, c, a, c, b, a, 0, a]) expect(msToIso(ms)).toBe(viaDate(ms));
  });

  it("leaves the rest to Date: before 1970, past year 9999, fractions, no time", () => {
    for (const ms of [-1, -86400001, 253402300800000, 1.5]) expect(msToIso(ms)).toBe(viaDate(ms));
    expect(() => msToIso(Number.NaN)).toThrow(RangeError);
  });
});
