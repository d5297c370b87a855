import { describe, expect, it } from "vitest";
import { monotonicIds, newId } from "./ids.ts";

const shape = /^[a-z]+_[0-9a-z]{26}$/;

describe("newId", () => {
  it("is a prefix and 26 lowercase base32 characters", () => {
    for (const prefix of ["acc", "grant", "user", "evt"]) {
      const id = newId(prefix);
      expect(id).toMatch(shape);
      expect(id.startsWith(`${prefix}_`)).toBe(true);
      // Crockford's alphabet: no i, l, o or u
      expect(id.slice(prefix.length + 1)).toMatch(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/);
    }
  });

  it("sorts by time", () => {
    const times = [
      0,
      1,
      31,
      32,
      33,
      1023,
      1024,
      1_700_000_000_000,
      1_700_000_000_001,
      1_700_000_000_031,
      1_700_000_000_032,
      1_800_000_000_000,
      2 ** 49,
      2 ** 50 - 1,
    ];
    const ids = times.map((t) => newId("evt", t));
    for (const id of ids) expect(id).toMatch(shape);
    expect([...ids].sort()).toEqual(ids);
    const shuffled = [...ids].reverse();
    expect(shuffled.sort()).toEqual(ids);
  });

  it("sorts ids made at increasing times over a long run in that order", () => {
    let t = Date.UTC(2024, 0, 1);
    const ids: string[] = [];
    for (let i = 0; i < 2000; i++) {
      t += 1 + ((i * 7919) % 5000);
      ids.push(newId("task", t));
    }
    expect([...ids].sort()).toEqual(ids);
  });

  it("differs between ids made in the same millisecond", () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 1000 }, () => newId("x", now)));
    expect(ids.size).toBe(1000);
  });
});

describe("monotonicIds", () => {
  it("sorts ids of one source in the order they were made, within a millisecond too", () => {
    const next = monotonicIds("log");
    const now = Date.now();
    const ids = Array.from({ length: 2000 }, (_, i) => next(now + Math.floor(i / 500)));
    for (const id of ids) expect(id).toMatch(shape);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("carries when the last character is the highest", () => {
    const next = monotonicIds("x");
    const t = Date.UTC(2024, 0, 1);
    const ids = Array.from({ length: 5000 }, () => next(t));
    expect([...ids].sort()).toEqual(ids);
  });
});
