// The connection test of a server as the panel runs it: an external server through the
// adapters (after the outbound policy allows its host and port), a node's own server by its
// agent (the node's operation; not reachable from the panel).
import type { ConnectionReport } from "@steward/contracts/databases";
import type { OutboundPolicy } from "@steward/contracts/net";
import type { Secrets } from "../../crypto/secrets.ts";
import { refuseFields } from "../../lib/outbound.ts";
import { externalAccess, notConnected } from "./access.ts";
import type { ServerRow } from "./repo.ts";

export async function testServer(
  row: ServerRow,
  secrets: Secrets,
  policy: OutboundPolicy,
): Promise<ConnectionReport> {
  const access = externalAccess(row, secrets);
  if (!access)
    return notConnected(
      "other",
      "a node's own server is tested by its agent, which this version of the panel does not ask yet",
    );
  if (row.via_node_id !== null)
    return notConnected(
      "other",
      "connecting through a node is not built yet: leave viaNodeId empty for the panel to connect",
    );
  const refused = await refuseFields(
    [{ field: "host", url: [row.host ?? "", Number(row.port)] }],
    policy,
  );
  if (refused) return notConnected("policy", refused.message);
  // the drivers load with the first test, not with the panel
  const { testConnection } = await import("@steward/agent/databases");
  return testConnection(access);
}
