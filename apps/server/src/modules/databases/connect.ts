// The connection test of a server, through the one executor: the panel connects to an
// external server (after the outbound policy allows its host and port), a node's agent to
// its own server or to an external one it reaches (viaNodeId). What did not connect is
// a report too, saying why.
import type { ConnectionReport } from "@steward/contracts/databases";
import { notConnected } from "./access.ts";
import { ActionFailed, type Execute } from "./executor.ts";
import type { ServerRow } from "./repo.ts";

export async function testServer(execute: Execute, row: ServerRow): Promise<ConnectionReport> {
  try {
    const { report } = await execute(row, { kind: "test" });
    return report ?? notConnected("other", "the server answered no report");
  } catch (error) {
    if (!(error instanceof ActionFailed)) throw error;
    if (error.kind === "policy")
      return notConnected("policy", error.details?.[0]?.message ?? error.message);
    return notConnected(error.kind === "node" ? "unreachable" : "other", error.message);
  }
}
