import { quietHours, ruleSettings } from "@steward/contracts/notifications";
import { describe, expect, it } from "vitest";
import { decide, type EventFacts, groupKey, repeatKey } from "./decide.ts";
import { flapDecision } from "./flap.ts";
import { inQuietHours, quietHoursEnd, wallClock } from "./quiet.ts";

const at = (iso: string) => new Date(iso);
const quiet = (over: object) =>
  quietHours.parse({ start: "22:00", end: "07:00", timeZone: "UTC", ...over });

describe("quiet hours", () => {
  it("reads the wall clock of the rule's time zone", () => {
    expect(wallClock(at("2026-12-05T23:30:00Z"), "Europe/Berlin")).toEqual({
      day: "sun",
      minute: 30,
    });
    expect(wallClock(at("2026-12-05T23:30:00Z"), "America/New_York")).toEqual({
      day: "sat",
      minute: 18 * 60 + 30,
    });
  });

  it("holds an overnight window that belongs to the day it starts on", () => {
    const q = quiet({ days: ["fri"] }); // 2026-12-04 is a Friday
    expect(inQuietHours(q, at("2026-12-04T21:59:00Z"))).toBe(false);
    expect(inQuietHours(q, at("2026-12-04T22:00:00Z"))).toBe(true);
    expect(inQuietHours(q, at("2026-12-05T06:59:59Z"))).toBe(true); // Saturday morning
    expect(inQuietHours(q, at("2026-12-05T07:00:00Z"))).toBe(false);
    expect(inQuietHours(q, at("2026-12-05T23:00:00Z"))).toBe(false); // Saturday night: not listed
    expect(quietHoursEnd(q, at("2026-12-04T23:12:34Z"))?.toISOString()).toBe(
      "2026-12-05T07:00:00.000Z",
    );
    expect(quietHoursEnd(q, at("2026-12-04T21:00:00Z"))).toBeNull();
  });

  it("ends a daytime window the same day, in the zone's time", () => {
    const q = quiet({ start: "12:00", end: "13:30", timeZone: "Asia/Kolkata" }); // UTC+5:30
    expect(inQuietHours(q, at("2026-12-05T06:45:00Z"))).toBe(true); // 12:15 local
    expect(quietHoursEnd(q, at("2026-12-05T06:45:00Z"))?.toISOString()).toBe(
      "2026-12-05T08:00:00.000Z",
    );
  });

  it("follows the wall clock across a daylight-saving change inside the window", () => {
    // Europe/Berlin leaves summer time on 2026-10-25 at 03:00 local (01:00 UTC)
    const q = quiet({ start: "01:00", end: "05:00", timeZone: "Europe/Berlin" });
    const end = quietHoursEnd(q, at("2026-10-24T23:30:00Z")); // 01:30 summer time
    expect(end?.toISOString()).toBe("2026-10-25T04:00:00.000Z"); // 05:00 winter time
  });

  it("refuses windows and zones that make no sense, naming the field", () => {
    const bad = quietHours.safeParse({ start: "22:00", end: "22:00", timeZone: "Mars/Base" });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join(".")) ?? [];
    expect(paths).toContain("timeZone");
    expect(quietHours.safeParse({ start: "24:00", end: "07:00", timeZone: "UTC" }).success).toBe(
      false,
    );
  });
});

describe("flap suppression", () => {
  const settings = { changes: 3, windowMinutes: 10 };
  const t = (minute: number) => new Date(Date.UTC(2026, 11, 5, 12, minute));

  it("sends the first changes, one flapping message at the Nth, then nothing", () => {
    expect(flapDecision(settings, t(0), [], false).action).toBe("send");
    expect(flapDecision(settings, t(1), [t(0)], false).action).toBe("send");
    expect(flapDecision(settings, t(2), [t(0), t(1)], false)).toEqual({
      action: "flapping",
      flapping: true,
      changes: 3,
    });
    expect(flapDecision(settings, t(3), [t(0), t(1), t(2)], true).action).toBe("suppress");
  });

  it("counts only the window, so a stable target ends the flapping", () => {
    expect(flapDecision(settings, t(30), [t(0), t(1), t(2), t(3)], true)).toEqual({
      action: "send",
      flapping: false,
    });
  });

  it("sends everything without flap settings", () => {
    expect(flapDecision(null, t(3), [t(0), t(1), t(2)], true).action).toBe("send");
  });
});

describe("a rule's decision", () => {
  const event = (over: Partial<EventFacts> = {}): EventFacts => ({
    type: "site.failed",
    severity: "critical",
    target: { type: "site", id: "s1" },
    groupKey: "node:n1",
    occurredAt: at("2026-12-05T12:00:00Z"),
    stateChange: false,
    ...over,
  });
  const none = { lastSentAt: null, recentChanges: [], flapping: false };

  it("delivers at once without grouping, quiet hours or repeats", () => {
    const rule = ruleSettings.parse({ eventTypes: ["site."] });
    expect(decide(rule, event(), none)).toEqual({
      action: "deliver",
      dueAt: at("2026-12-05T12:00:00Z"),
      group: null,
      flapping: null,
    });
  });

  it("groups by type and group key until the window ends", () => {
    const rule = ruleSettings.parse({ eventTypes: [""], groupSeconds: 30 });
    const decision = decide(rule, event(), none);
    expect(decision).toMatchObject({
      dueAt: at("2026-12-05T12:00:30Z"),
      group: "site.failed|node:n1",
    });
    expect(groupKey({ type: "task.failed", groupKey: null })).toBe("task.failed|*");
  });

  it("drops a repeat of the same type and target within the interval, not a state change", () => {
    const rule = ruleSettings.parse({ eventTypes: [""], repeatMinutes: 60 });
    const recently = { ...none, lastSentAt: at("2026-12-05T11:30:00Z") };
    expect(decide(rule, event(), recently)).toEqual({ action: "drop", reason: "repeat" });
    expect(decide(rule, event({ stateChange: true }), recently).action).toBe("deliver");
    const longAgo = { ...none, lastSentAt: at("2026-12-05T10:30:00Z") };
    expect(decide(rule, event(), longAgo).action).toBe("deliver");
    expect(repeatKey(event())).toBe("site.failed|site:s1");
  });

  it("holds until quiet hours end, drops in drop mode, lets critical through unless told", () => {
    const hold = ruleSettings.parse({
      eventTypes: [""],
      quietHours: { start: "11:00", end: "13:00", timeZone: "UTC" },
    });
    expect(decide(hold, event(), none).action).toBe("deliver");
    expect(decide(hold, event(), none)).toMatchObject({ dueAt: at("2026-12-05T12:00:00Z") });
    expect(decide(hold, event({ severity: "warning" }), none)).toMatchObject({
      dueAt: at("2026-12-05T13:00:00Z"),
      group: "site.failed|node:n1",
    });
    const drop = ruleSettings.parse({
      eventTypes: [""],
      quietHours: { start: "11:00", end: "13:00", timeZone: "UTC", mode: "drop" },
    });
    expect(decide(drop, event({ severity: "info" }), none)).toEqual({
      action: "drop",
      reason: "quiet-hours",
    });
  });

  it("turns the Nth state change into one flapping message and drops the next", () => {
    const rule = ruleSettings.parse({
      eventTypes: ["monitor."],
      flap: { changes: 2, windowMinutes: 5 },
    });
    const change = event({ type: "monitor.down", stateChange: true });
    const history = { ...none, recentChanges: [at("2026-12-05T11:58:00Z")] };
    expect(decide(rule, change, history)).toMatchObject({
      action: "deliver",
      group: null,
      flapping: { changes: 2, windowMinutes: 5 },
    });
    expect(decide(rule, change, { ...history, flapping: true })).toEqual({
      action: "drop",
      reason: "flapping",
    });
  });

  it("drops a monitor's own flapping event once the rule has said the target is flapping", () => {
    const rule = ruleSettings.parse({
      eventTypes: ["monitor."],
      flap: { changes: 3, windowMinutes: 10 },
    });
    const flapping = event({ type: "monitor.flapping", severity: "warning" });
    expect(decide(rule, flapping, { ...none, flapping: true })).toEqual({
      action: "drop",
      reason: "flapping",
    });
    expect(decide(rule, flapping, none).action).toBe("deliver");
    const noFlap = ruleSettings.parse({ eventTypes: ["monitor."] });
    expect(decide(noFlap, flapping, { ...none, flapping: true }).action).toBe("deliver");
  });
});
