// The state machine's quorum input (docs/monitors.md, "Locations and quorum"): a monitor
// checked from several locations (the panel, nodes' agents) is down only when at least
// `quorum` of them see it down, each after its own retries; degraded when some do but not a
// quorum (or one sees it degraded); up otherwise. A location that could not check (a node
// unreachable, its agent not answering) casts no vote: it is never a "down". Pure: the
// scheduler keeps each location's failures in a row and hands the votes here.
import { type CheckOutcome, majority } from "@steward/contracts/monitors";

/** One location's last check: its outcome, or null when it could not check at all. */
export interface LocationCheck {
  location: string;
  outcome: CheckOutcome | null;
  /** that location's failed checks in a row, this one included */
  failures: number;
}

/** What one location says after its retries: down only past them; null: no vote. */
export function voteOf(check: LocationCheck, retries: number): CheckOutcome | null {
  if (check.outcome !== "down") return check.outcome;
  return check.failures > retries ? "down" : null;
}

export interface QuorumOutcome {
  /** null when no location could check: the monitor's state stays as it is */
  outcome: CheckOutcome | null;
  /** the locations that see it down, for the result's message */
  down: string[];
  /** how many voted at all */
  voted: number;
}

/**
 * The monitor's outcome from its locations' last checks: `quorum` (default: a majority of the
 * `locations` configured, voting or not) down votes make it down, fewer degraded.
 */
export function quorumOutcome(
  checks: readonly LocationCheck[],
  o: { retries: number; locations: number; quorum?: number },
): QuorumOutcome {
  const quorum = o.quorum ?? majority(o.locations);
  const votes = checks.map((c) => ({ location: c.location, vote: voteOf(c, o.retries) }));
  const voted = votes.filter((v) => v.vote !== null);
  const down = voted.filter((v) => v.vote === "down").map((v) => v.location);
  if (!voted.length) return { outcome: null, down, voted: 0 };
  if (down.length >= quorum) return { outcome: "down", down, voted: voted.length };
  const degraded = down.length > 0 || voted.some((v) => v.vote === "degraded");
  return { outcome: degraded ? "degraded" : "up", down, voted: voted.length };
}
