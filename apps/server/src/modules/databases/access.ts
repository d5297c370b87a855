// How the panel reaches an external database server (the same adapters the agent runs for a
// node's own server): admin credentials opened from their seal, the TLS mode and CA, and the
// outbound policy checked before each connection.

import type { Place, ServerAccess } from "@steward/agent/databases";
import type { ConnectionReport } from "@steward/contracts/databases";
import type { Secrets } from "../../crypto/secrets.ts";
import type { ServerRow } from "./repo.ts";

/** The access of an external server, or null for one on a node (its agent reaches it). */
export function externalAccess(row: ServerRow, secrets: Secrets): ServerAccess | null {
  if (row.placement !== "external" || row.host === null || row.port === null) return null;
  const place: Place = {
    kind: "tcp",
    host: row.host,
    port: Number(row.port),
    tls: { mode: row.tls_mode, ca: row.tls_ca },
  };
  const password =
    row.admin_password_sealed === null ? undefined : secrets.open(row.admin_password_sealed);
  return {
    engine: row.engine,
    admin: place,
    credentials: { user: row.admin_user ?? "", ...(password !== undefined ? { password } : {}) },
    login: place,
  };
}

/** A report saying why the panel did not connect (the policy, or a node's server). */
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
