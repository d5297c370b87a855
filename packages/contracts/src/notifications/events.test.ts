import { describe, expect, it } from "vitest";
import {
  eventCatalogue,
  eventTypePattern,
  eventTypes,
  matchesEventType,
  notificationEvent,
} from "./events.ts";
import { sampleEvent } from "./samples.ts";

describe("the event catalogue", () => {
  it.each(eventTypes)("the sample %s event is a valid event of its type", (type) => {
    const sample = sampleEvent(type);
    const parsed = notificationEvent.parse(sample);
    expect(parsed.type).toBe(type);
    expect(parsed.severity).toBe(eventCatalogue[type].severity);
    expect(Object.keys(parsed.fields).sort()).toEqual(
      Object.keys(eventCatalogue[type].fields.shape).sort(),
    );
  });

  it("refuses an event whose fields do not fit its type, naming the field", () => {
    const bad = {
      ...sampleEvent("monitor.down"),
      fields: { ...sampleEvent("monitor.down").fields, responseTimeMs: "slow" },
    };
    const result = notificationEvent.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["fields", "responseTimeMs"]);
  });

  it("names every type with dots, so rules can match a prefix", () => {
    for (const type of eventTypes) expect(eventTypePattern.safeParse(type).success).toBe(true);
    expect(matchesEventType("monitor.", "monitor.down")).toBe(true);
    expect(matchesEventType("monitor.", "task.failed")).toBe(false);
    expect(matchesEventType("monitor.down", "monitor.downtime" as never)).toBe(false);
    expect(matchesEventType("", "backup.failed")).toBe(true);
    expect(eventTypePattern.safeParse("monitor").success).toBe(true);
    expect(eventTypePattern.safeParse("Monitor.*").success).toBe(false);
  });

  it("gives every type an outcome for success-only and failure-only rules", () => {
    const outcomes = new Set(eventTypes.map((type) => eventCatalogue[type].outcome));
    expect(outcomes).toEqual(new Set(["success", "failure", "none"]));
    expect(eventCatalogue["task.failed"].outcome).toBe("failure");
    expect(eventCatalogue["monitor.up"].outcome).toBe("success");
  });
});
