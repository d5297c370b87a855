// The timing wheel and the next due time, alone: what a tick takes, in order, once.
import { describe, expect, it } from "vitest";
import { nextDue } from "./scheduler.ts";
import { TimingWheel } from "./wheel.ts";

describe("timing wheel", () => {
  it("takes what is due by now, oldest slot first, each id once", () => {
    const wheel = new TimingWheel(1000, 10_000);
    wheel.add("late", 12_500);
    wheel.add("soon", 11_200);
    wheel.add("overdue", 3_000);
    expect(wheel.takeDue(10_100)).toEqual(["overdue"]);
    // nothing starts early: 11 200 is in the slot of 12 000
    expect(wheel.takeDue(11_999)).toEqual([]);
    expect(wheel.takeDue(12_000)).toEqual(["soon"]);
    wheel.add("soon", 12_900);
    expect(wheel.takeDue(13_000).sort()).toEqual(["late", "soon"]);
    expect(wheel.size).toBe(0);
  });

  it("moves or removes an id, and walks a long gap by its buckets", () => {
    const wheel = new TimingWheel(1000, 0);
    wheel.add("a", 5_000);
    wheel.add("a", 900_000);
    wheel.add("b", 6_000);
    wheel.remove("b");
    expect(wheel.takeDue(10_000)).toEqual([]);
    expect(wheel.takeDue(1_000_000)).toEqual(["a"]);
  });
});

describe("next due time", () => {
  it("keeps the phase and skips the times a slow check missed", () => {
    expect(nextDue(60_000, 60_000, 60_500)).toBe(120_000);
    expect(nextDue(60_000, 60_000, 120_000)).toBe(180_000);
    expect(nextDue(60_000, 60_000, 130_000)).toBe(180_000);
  });
});
