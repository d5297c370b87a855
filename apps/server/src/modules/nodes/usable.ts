// Whether work may target a node: it exists, is not revoked and has enrolled (and, to talk to
// its agent, has a pinned certificate). The one check, for placing a site on a node (a 400
// naming the field) and before every agent request (agents/node-state.ts maps the problem to
// its error code).
import type { NodeState } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { invalid } from "../../lib/errors.ts";
import * as repo from "./repo.ts";

/** The states of a node work may target: enrolled and not revoked. */
const USABLE: readonly NodeState[] = ["trusted", "unreachable"];

export type NodeProblem = { kind: "missing" | "revoked" | "not_enrolled"; message: string };

type Checked = { name: string; state: NodeState; cert_fingerprint: string | null };
type Pins = NonNullable<Awaited<ReturnType<typeof repo.pinsOf>>>;

/** Why the node cannot be used (to talk to: `pinned`), or null when it can. */
export function nodeProblem(
  id: string,
  node: Checked | undefined,
  pinned = false,
): NodeProblem | null {
  if (!node) return { kind: "missing", message: `no node ${id}` };
  if (node.state === "revoked") return { kind: "revoked", message: `node ${node.name} is revoked` };
  if (!USABLE.includes(node.state) || (pinned && !node.cert_fingerprint))
    return {
      kind: "not_enrolled",
      message: `node ${node.name} is not enrolled yet: run \`steward agent enroll\` on it with a token from \`steward node token ${node.name}\``,
    };
  return null;
}

/** The node with what talking to it needs, or the problem that stops it. */
export async function checkNode(
  db: Kysely<Database>,
  id: string,
  pinned = false,
): Promise<{ problem: NodeProblem; node?: undefined } | { problem?: undefined; node: Pins }> {
  const node = await repo.pinsOf(db, id);
  const problem = nodeProblem(id, node, pinned);
  return problem ? { problem } : { node: node as Pins };
}

/** The node a site is placed on: a 400 naming `node` when it cannot be used. */
export async function usableNode(db: Kysely<Database>, id: string) {
  const checked = await checkNode(db, id);
  if (checked.problem) throw invalid("node", checked.problem.message);
  return checked.node;
}

/** The nodes sites may be placed on, by name: id and name only. */
export const usableNodes = (db: Kysely<Database>) => repo.nodesIn(db, USABLE);
