import { describe, expect, it } from "vitest";
import { type RuleEventFacts, ruleMatches, ruleSettings } from "./rules.ts";

const down: RuleEventFacts = {
  type: "monitor.down",
  severity: "critical",
  outcome: "failure",
  target: { type: "monitor", id: "m1" },
};

describe("rules", () => {
  it("match by type or prefix, minimum severity, outcome and scope", () => {
    const rule = (over: object) => ruleSettings.parse({ eventTypes: ["monitor."], ...over });
    expect(ruleMatches(rule({}), down)).toBe(true);
    expect(ruleMatches(rule({ eventTypes: ["site."] }), down)).toBe(false);
    expect(ruleMatches(rule({ eventTypes: [""] }), down)).toBe(true);
    expect(ruleMatches(rule({ eventTypes: ["monitor.up", "monitor.down"] }), down)).toBe(true);
    expect(ruleMatches(rule({ minSeverity: "warning" }), { ...down, severity: "info" })).toBe(
      false,
    );
    expect(ruleMatches(rule({ outcome: "success" }), down)).toBe(false);
    expect(ruleMatches(rule({ outcome: "failure" }), { ...down, outcome: "none" })).toBe(false);
    expect(ruleMatches(rule({ scope: { targetType: "monitor" } }), down)).toBe(true);
    expect(ruleMatches(rule({ scope: { targetType: "monitor", targetId: "m2" } }), down)).toBe(
      false,
    );
    expect(ruleMatches(rule({ scope: { targetType: "site" } }), { ...down, target: null })).toBe(
      false,
    );
  });

  it("refuse settings out of range, naming the field", () => {
    const bad = ruleSettings.safeParse({
      eventTypes: ["Monitor.Down", "x"],
      repeatMinutes: 99999,
      groupSeconds: -1,
      flap: { changes: 1, windowMinutes: 0 },
    });
    expect(bad.success).toBe(false);
    const paths = new Set(bad.error?.issues.map((i) => i.path.join(".")));
    for (const p of [
      "eventTypes.0",
      "repeatMinutes",
      "groupSeconds",
      "flap.changes",
      "flap.windowMinutes",
    ])
      expect(paths).toContain(p);
    expect(ruleSettings.safeParse({ eventTypes: [] }).success).toBe(false);
  });
});
