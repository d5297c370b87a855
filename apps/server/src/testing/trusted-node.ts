// A node row already trusted, for tests of the API that need a node but no agent (tasks stay
// queued): sites, names, accounts.
import type { TestServer } from "./harness.ts";

export async function trustedNode(s: TestServer, name: string): Promise<string> {
  const id = `node_${name}`;
  const now = Date.now();
  await s.svc.db.db
    .insertInto("nodes")
    .values({
      id,
      name,
      agent_url: "https://127.0.0.1:7443",
      state: "trusted",
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
