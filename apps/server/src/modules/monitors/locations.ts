// Where a monitor may be checked from (docs/monitors.md, "Locations and quorum"): the panel,
// and nodes its account uses: enrolled and not revoked, and running one of the account's
// sites (an installation monitor: any such node). Anything else is a 400 naming `locations`,
// as a node that does not exist (the same answer: ids of nodes are not disclosed).
import {
  HEARTBEAT_LOCATIONS,
  type MonitorKind,
  PANEL_LOCATION,
  quorumProblem,
} from "@steward/contracts/monitors";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { invalid } from "../../lib/errors.ts";
import { checkNode } from "../nodes/usable.ts";
import { accountUsesNode } from "../sites/repo.ts";

export const locationsOf = (row: { locations: string }): string[] => JSON.parse(row.locations);

/** The node locations of a monitor (all but the panel). */
export const nodeLocations = (locations: readonly string[]) =>
  locations.filter((l) => l !== PANEL_LOCATION);

/** Refuses (400 naming `locations`) a location the monitor's account may not check from. */
export async function checkLocations(
  db: Kysely<Database>,
  accountId: string | null,
  kind: MonitorKind,
  locations: readonly string[],
) {
  const nodes = nodeLocations(locations);
  if (kind === "heartbeat" && nodes.length) throw invalid("locations", HEARTBEAT_LOCATIONS);
  for (const id of nodes) {
    const unknown = `no node ${id} this monitor's account uses (one running one of its sites)`;
    // another account's node is not told apart from one that does not exist
    if (accountId !== null && !(await accountUsesNode(db, accountId, id)))
      throw invalid("locations", unknown);
    const { problem } = await checkNode(db, id, true);
    if (problem) throw invalid("locations", problem.kind === "missing" ? unknown : problem.message);
  }
}

/** Refuses (400 naming `quorum`) a quorum above the number of locations. */
export function checkQuorum(locations: readonly string[], quorum: number | null) {
  const problem = quorumProblem(locations, quorum);
  if (problem) throw invalid("quorum", problem);
}

/** A results page's cursor ("<time>-<location>", or a time alone), or a 400 naming it. */
export function parseCursor(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  const dash = cursor.indexOf("-");
  const time = dash < 0 ? cursor : cursor.slice(0, dash);
  const location = dash < 0 ? "" : cursor.slice(dash + 1);
  const at = Number(time);
  if (!/^\d+$/.test(time) || !Number.isSafeInteger(at))
    throw invalid("querystring.cursor", "must be a cursor returned by a previous page");
  return { at, location };
}
