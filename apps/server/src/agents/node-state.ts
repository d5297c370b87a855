// What the agent client reads and writes of a node: its state and pins right before a
// request, the rotated certificate it promotes on sight, and revocation while a request runs.
// The nodes module owns the rows; whether a node is usable is its one check.
import type { Db } from "../db/open.ts";
import * as nodes from "../modules/nodes/repo.ts";
import { checkNode } from "../modules/nodes/usable.ts";
import { agentError } from "./errors.ts";

/** A node's id, or anything carrying it (a row): the node is read again before each call. */
export type NodeRef = string | { id: string };

export async function loadNode(db: Db, ref: NodeRef) {
  const id = typeof ref === "string" ? ref : ref.id;
  const checked = await checkNode(db.db, id, true);
  if (checked.problem)
    throw agentError(
      checked.problem.kind === "revoked" ? "NODE_REVOKED" : "NODE_NOT_ENROLLED",
      checked.problem.message,
    );
  return checked.node;
}

/** A rotated certificate seen in use becomes the one pinned. */
export async function promote(db: Db, nodeId: string, fingerprint: string) {
  await nodes.pinCertificate(db.db, nodeId, fingerprint);
}

/** Reads the node's state every interval; stops the request when it was revoked. */
export function watchRevocation(
  db: Db,
  node: { id: string; name: string },
  everyMs: number,
  stop: (reason: Error) => void,
): NodeJS.Timeout {
  const timer = setInterval(async () => {
    const row = await nodes.stateOf(db.db, node.id).catch(() => undefined);
    if (row?.state === "revoked")
      stop(
        agentError(
          "NODE_REVOKED",
          `node ${node.name} was revoked while the request ran; it was stopped`,
        ),
      );
  }, everyMs);
  timer.unref();
  return timer;
}
