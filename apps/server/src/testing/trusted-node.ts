// A node row already trusted, for tests of the API that need a node but no agent (tasks stay
// queued): sites, names, accounts. Written as enrollment would, with a certificate of no agent.
import { findNode, insertNode, trustNode } from "../modules/nodes/repo.ts";
import type { TestServer } from "./harness.ts";

/** Makes an existing node trusted, as its enrollment would (no agent answers it). */
export async function markTrusted(s: Pick<TestServer, "svc">, id: string): Promise<void> {
  const node = await findNode(s.svc.db.db, id);
  if (!node) throw new Error(`no node ${id}`);
  const now = Date.now();
  await trustNode(s.svc.db.db, id, {
    agentUrl: node.agent_url,
    fingerprint: `fixture-${id}`,
    expiresAt: now + 86_400_000,
    now,
  });
}

export async function trustedNode(s: TestServer, name: string): Promise<string> {
  const id = `node_${name}`;
  await insertNode(s.svc.db.db, { id, name, agentUrl: "https://127.0.0.1:7443" });
  await markTrusted(s, id);
  return id;
}
