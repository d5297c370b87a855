// The quorum of a monitor's locations: down only when a quorum sees it down after its own
// retries, degraded below that, an unreachable location no vote; and a round of them through
// the state machine (located.ts).

import { majority } from "@steward/contracts/monitors";
import { describe, expect, it } from "vitest";
import { applyLocated, sayLocations } from "./located.ts";
import { type LocationCheck, quorumOutcome, voteOf } from "./quorum.ts";
import { DEFAULT_FLAP, type MonitorFacts, type MonitorStatus } from "./state.ts";

const at = (location: string, outcome: LocationCheck["outcome"], failures = 0): LocationCheck => ({
  location,
  outcome,
  failures: outcome === "down" ? Math.max(1, failures) : 0,
});

describe("monitor quorum", () => {
  it("takes a majority of the configured locations by default", () => {
    expect([1, 2, 3, 4, 5].map(majority)).toEqual([1, 2, 2, 3, 3]);
  });

  it("counts a location's down only past its retries", () => {
    expect(voteOf(at("panel", "down", 1), 1)).toBeNull();
    expect(voteOf(at("panel", "down", 2), 1)).toBe("down");
    expect(voteOf(at("panel", "up"), 1)).toBe("up");
  });

  it("is down with a quorum of down votes, degraded with fewer, up with none", () => {
    const three = { retries: 0, locations: 3 };
    const checks = [at("panel", "down"), at("node_a", "down"), at("node_b", "up")];
    expect(quorumOutcome(checks, three)).toEqual({
      outcome: "down",
      down: ["panel", "node_a"],
      voted: 3,
    });
    const one = [at("panel", "down"), at("node_a", "up"), at("node_b", "up")];
    expect(quorumOutcome(one, three).outcome).toBe("degraded");
    expect(quorumOutcome(one, { ...three, quorum: 1 }).outcome).toBe("down");
    const slow = [at("panel", "degraded"), at("node_a", "up"), at("node_b", "up")];
    expect(quorumOutcome(slow, three).outcome).toBe("degraded");
    const fine = [at("panel", "up"), at("node_a", "up"), at("node_b", "up")];
    expect(quorumOutcome(fine, three).outcome).toBe("up");
  });

  it("takes an unreachable node for no vote, never for a down one", () => {
    const two = { retries: 0, locations: 2 };
    // the node cannot be reached and the panel sees it down: not a quorum of 2
    const split = [at("panel", "down"), at("node_a", null)];
    expect(quorumOutcome(split, two)).toEqual({ outcome: "degraded", down: ["panel"], voted: 1 });
    expect(quorumOutcome([at("panel", "up"), at("node_a", null)], two).outcome).toBe("up");
    expect(quorumOutcome([at("panel", null), at("node_a", null)], two)).toEqual({
      outcome: null,
      down: [],
      voted: 0,
    });
  });

  it("waits for each location's retries before its down counts", () => {
    const two = { retries: 1, locations: 2 };
    const first = [at("panel", "down", 1), at("node_a", "down", 1)];
    expect(quorumOutcome(first, two)).toEqual({ outcome: null, down: [], voted: 0 });
    const second = [at("panel", "down", 2), at("node_a", "down", 2)];
    expect(quorumOutcome(second, two).outcome).toBe("down");
  });
});

describe("a round of a monitor's locations (located.ts)", () => {
  const facts: MonitorFacts = {
    id: "mon_1",
    accountId: "acc_1",
    name: "shop",
    target: "https://shop.example.com/",
    retries: 1,
    maintenance: [],
    url: null,
  };
  const result = (outcome: "up" | "down") => ({ outcome, responseMs: 5, message: outcome });
  const round = (
    status: MonitorStatus,
    failures: ReadonlyMap<string, number>,
    panel: "up" | "down",
    node: "up" | "down" | null,
  ) =>
    applyLocated(
      facts,
      status,
      [
        { location: "panel", result: result(panel) },
        { location: "node_a", result: node ? result(node) : null },
      ],
      failures,
      { quorum: 2, at: 1000, flap: DEFAULT_FLAP },
    );
  const up: MonitorStatus = {
    state: "up",
    stateSince: 0,
    consecutiveFailures: 0,
    flapping: false,
    transitions: [],
  };

  it("keeps each location's failures: down only past its retries at a quorum of locations", () => {
    const first = round(up, new Map(), "down", "down");
    expect(first.status.state).toBe("up");
    expect([...first.failures]).toEqual([
      ["panel", 1],
      ["node_a", 1],
    ]);
    const second = round(first.status, first.failures, "down", "down");
    expect(second.status.state).toBe("down");
    expect(second.events[0]).toMatchObject({
      type: "monitor.down",
      summary: "monitor shop is down (down from panel, node_a)",
      fields: { locations: "down from panel, node_a" },
    });
  });

  it("says no answer of a location that casts no vote, and keeps its count", () => {
    const next = round(up, new Map([["node_a", 1]]), "up", null);
    expect(next.status.state).toBe("up");
    expect(next.failures.get("node_a")).toBe(1);
    expect(sayLocations([{ location: "node_a", result: null }])).toBe("no answer from node_a");
  });
});
