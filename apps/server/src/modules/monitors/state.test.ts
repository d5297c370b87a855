// The state machine alone: which results change the state, and the catalogue events each
// change makes (retries, degraded, recovery, maintenance, flapping and its end).
import { notificationEvent } from "@steward/contracts/notifications";
import type { ProbeResult } from "@steward/probes";
import { describe, expect, it } from "vitest";
import { applyResult, type MonitorFacts, type MonitorStatus } from "./state.ts";

const facts: MonitorFacts = {
  id: "mon_1",
  accountId: "acc_1",
  name: "shop",
  target: "https://shop.example.com/health",
  retries: 2,
  maintenance: [],
  url: "https://panel.example.com/monitors/mon_1",
};
const fresh: MonitorStatus = {
  state: "pending",
  stateSince: 0,
  consecutiveFailures: 0,
  flapping: false,
  transitions: [],
};
const up: ProbeResult = { outcome: "up", responseMs: 12, message: "answered 200" };
const down: ProbeResult = {
  outcome: "down",
  responseMs: 40,
  message: "answered 502, expected 200-299",
};
const slow: ProbeResult = {
  outcome: "degraded",
  responseMs: 1500,
  message: "answered in 1500 ms, over 1000 ms",
};

/** Runs results one a minute from t=60 s; the statuses and every event, by type. */
function run(
  results: ProbeResult[],
  monitor = facts,
  start = fresh,
  flap = { changes: 5, windowMinutes: 10 },
) {
  let status = start;
  const events: { at: number; type: string; fields: unknown }[] = [];
  results.forEach((result, i) => {
    const at = (i + 1) * 60_000;
    const next = applyResult(monitor, status, result, at, flap);
    for (const event of next.events) {
      expect(notificationEvent.safeParse(event).success).toBe(true);
      events.push({ at, type: event.type, fields: event.fields });
    }
    status = next.status;
  });
  return { status, events };
}

describe("monitor state machine", () => {
  it("says nothing for a new monitor that is up", () => {
    const { status, events } = run([up, up]);
    expect(status).toMatchObject({ state: "up", stateSince: 60_000, consecutiveFailures: 0 });
    expect(events).toEqual([]);
  });

  it("is down after its retries, once, then up with the downtime", () => {
    const { status, events } = run([up, down, down, down, down, up]);
    expect(events).toEqual([
      {
        at: 240_000,
        type: "monitor.down",
        fields: {
          monitorId: "mon_1",
          monitorName: "shop",
          monitorTarget: "https://shop.example.com/health",
          error: "answered 502, expected 200-299",
          responseTimeMs: 40,
          locations: null,
        },
      },
      {
        at: 360_000,
        type: "monitor.up",
        fields: {
          monitorId: "mon_1",
          monitorName: "shop",
          monitorTarget: "https://shop.example.com/health",
          downtimeSeconds: 120,
          locations: null,
        },
      },
    ]);
    expect(status).toMatchObject({ state: "up", consecutiveFailures: 0, stateSince: 360_000 });
  });

  it("forgets failures fewer than the retries", () => {
    const { status, events } = run([up, down, down, up, down, down, up]);
    expect(events).toEqual([]);
    expect(status.state).toBe("up");
  });

  it("says degraded at once, and up when it is fast again", () => {
    const { events } = run([up, slow, slow, up]);
    expect(events.map((e) => [e.at, e.type])).toEqual([
      [120_000, "monitor.degraded"],
      [240_000, "monitor.up"],
    ]);
    expect(events[0]?.fields).toMatchObject({ reason: slow.message, responseTimeMs: 1500 });
  });

  it("a new monitor failing from the start is down", () => {
    const { events } = run([down, down, down], { ...facts, retries: 0 });
    expect(events.map((e) => e.type)).toEqual(["monitor.down"]);
  });

  it("mutes events within a maintenance window, keeping the state", () => {
    const maintenance = [
      { start: new Date(90_000).toISOString(), end: new Date(300_000).toISOString() },
    ];
    const { status, events } = run([up, down, down, down, down, down], {
      ...facts,
      maintenance,
    });
    expect(status.state).toBe("down");
    // down from 240 s (muted); at 360 s it is still down: no change, nothing said
    expect(events).toEqual([]);
  });

  it("turns N changes within M minutes into one flapping, then quiet until stable", () => {
    const flappy = [up, slow, up, slow, up, slow, up, slow, up, up, up, up, up, up, up, up];
    const { status, events } = run(flappy, facts, fresh, { changes: 4, windowMinutes: 5 });
    expect(events.map((e) => [e.at / 60_000, e.type])).toEqual([
      [2, "monitor.degraded"],
      [3, "monitor.up"],
      [4, "monitor.degraded"],
      [5, "monitor.flapping"],
      [14, "monitor.up"],
    ]);
    expect(events[3]?.fields).toMatchObject({ transitions: 4, windowMinutes: 5 });
    expect(status.flapping).toBe(false);
  });

  it("ends a flapping in the state it settled in", () => {
    const settles = [
      up,
      slow,
      up,
      slow,
      up,
      down,
      down,
      down,
      down,
      down,
      down,
      down,
      down,
      down,
      down,
    ];
    const { events } = run(settles, { ...facts, retries: 0 }, fresh, {
      changes: 4,
      windowMinutes: 5,
    });
    expect(events.map((e) => [e.at / 60_000, e.type])).toEqual([
      [2, "monitor.degraded"],
      [3, "monitor.up"],
      [4, "monitor.degraded"],
      [5, "monitor.flapping"],
      [11, "monitor.down"],
    ]);
  });
});
