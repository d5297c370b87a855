// One round of a monitor checked from several locations (docs/monitors.md, "Locations and
// quorum"): each location's result moves its own failures in a row; quorum.ts turns them into
// the monitor's outcome (down only when `quorum` locations see it down, each after its
// retries; a location without an answer casts no vote); the state machine (state.ts) then
// takes that outcome as final (the retries were each location's), and its events say what
// each location saw. Pure.
import type { ProbeResult } from "@steward/probes";
import { quorumOutcome } from "./quorum.ts";
import { applyResult, type FlapRule, type MonitorFacts, type MonitorStatus } from "./state.ts";

/** A location's result this round; null: it could not check (no vote). */
export interface Located {
  location: string;
  result: ProbeResult | null;
}

const OUTCOMES = ["down", "degraded", "up"] as const;

/** "down from panel, node_a; up from node_b; no answer from node_c" */
export function sayLocations(located: readonly Located[]): string {
  const groups = OUTCOMES.map((outcome) => ({
    outcome,
    at: located.filter((l) => l.result?.outcome === outcome).map((l) => l.location),
  }));
  const silent = located.filter((l) => !l.result).map((l) => l.location);
  const parts = groups
    .filter((g) => g.at.length)
    .map((g) => `${g.outcome} from ${g.at.join(", ")}`);
  if (silent.length) parts.push(`no answer from ${silent.join(", ")}`);
  return parts.join("; ");
}

export function applyLocated(
  facts: MonitorFacts,
  status: MonitorStatus,
  located: readonly Located[],
  failures: ReadonlyMap<string, number>,
  o: { quorum: number; at: number; flap: FlapRule },
) {
  const next = new Map(failures);
  for (const { location, result } of located)
    if (result)
      next.set(location, result.outcome === "down" ? (failures.get(location) ?? 0) + 1 : 0);
  const checks = located.map(({ location, result }) => ({
    location,
    outcome: result?.outcome ?? null,
    failures: next.get(location) ?? 0,
  }));
  const votes = quorumOutcome(checks, {
    retries: facts.retries,
    locations: located.length,
    quorum: o.quorum,
  });
  const said = sayLocations(located);
  const responseMs = located.find((l) => l.result?.responseMs != null)?.result?.responseMs ?? null;
  if (votes.outcome === null)
    return {
      status,
      events: [],
      failures: next,
      result: {
        outcome: status.state === "down" ? "down" : "up",
        responseMs,
        message: said,
      } as ProbeResult,
    };
  const result: ProbeResult = { outcome: votes.outcome, responseMs, message: said };
  // each location's retries are in its vote: the quorum's outcome is final
  const applied = applyResult({ ...facts, retries: 0 }, status, result, o.at, o.flap, said);
  return { ...applied, failures: next, result };
}
