// How the panel names a server to the one executor (executor.ts): a node's own server is the
// node's local target; an external one carries its admin credentials, opened from their seal
// only for the action, with its TLS mode and CA.
import type { ConnectionReport, DatabaseTarget } from "@steward/contracts/databases";
import type { Secrets } from "../../crypto/secrets.ts";
import type { ServerRow } from "./repo.ts";

/** The server as an action's target, and the node whose agent runs it (null: the panel). */
export function targetOf(
  row: ServerRow,
  secrets: Secrets,
): { target: DatabaseTarget; nodeId: string | null } {
  if (row.placement === "on-node") return { target: { kind: "local" }, nodeId: row.node_id };
  return {
    nodeId: row.via_node_id,
    target: {
      kind: "external",
      host: row.host ?? "",
      port: Number(row.port),
      adminUser: row.admin_user ?? "",
      adminPassword:
        row.admin_password_sealed === null ? "" : secrets.open(row.admin_password_sealed),
      tls: { mode: row.tls_mode, ca: row.tls_ca },
    },
  };
}

/** A report saying why nothing connected (the policy, an unreachable node). */
export const notConnected = (
  kind: ConnectionReport["problems"][number]["kind"],
  message: string,
): ConnectionReport => ({
  ok: false,
  version: null,
  sizeBytes: null,
  databases: null,
  problems: [{ kind, message, privilege: null }],
});
