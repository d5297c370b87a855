// What the agent client reads and writes of a node: its state and pins right before a
// request, the rotated certificate it promotes on sight, and revocation while a request runs.
import type { Db } from "../db/open.ts";
import { agentError } from "./errors.ts";

/** A node's id, or anything carrying it (a row): the node is read again before each call. */
export type NodeRef = string | { id: string };

export async function loadNode(db: Db, ref: NodeRef) {
  const id = typeof ref === "string" ? ref : ref.id;
  const n = await db.db
    .selectFrom("nodes")
    .select(["id", "name", "agent_url", "state", "cert_fingerprint", "cert_next_fingerprint"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!n) throw agentError("NODE_NOT_ENROLLED", `node ${id} does not exist`);
  if (n.state === "revoked") throw agentError("NODE_REVOKED", `node ${n.name} is revoked`);
  if (!n.cert_fingerprint)
    throw agentError(
      "NODE_NOT_ENROLLED",
      `node ${n.name} is not enrolled yet: run \`steward agent enroll\` on it with a token from \`steward node token ${n.name}\``,
    );
  return n;
}

/** A rotated certificate seen in use becomes the one pinned. */
export async function promote(db: Db, nodeId: string, fingerprint: string) {
  const now = Date.now();
  await db.db
    .updateTable("nodes")
    .set((eb) => ({
      cert_fingerprint: eb.ref("cert_next_fingerprint"),
      cert_expires_at: eb.ref("cert_next_expires_at"),
      cert_next_fingerprint: null,
      cert_next_expires_at: null,
      updated_at: now,
    }))
    .where("id", "=", nodeId)
    .where("cert_next_fingerprint", "=", fingerprint)
    .execute();
}

/** Reads the node's state every interval; stops the request when it was revoked. */
export function watchRevocation(
  db: Db,
  node: { id: string; name: string },
  everyMs: number,
  stop: (reason: Error) => void,
): NodeJS.Timeout {
  const timer = setInterval(async () => {
    const row = await db.db
      .selectFrom("nodes")
      .select("state")
      .where("id", "=", node.id)
      .executeTakeFirst()
      .catch(() => undefined);
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
