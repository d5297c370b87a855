// The Cloudflare fake's tunnels: `GET /accounts/{account_id}/cfd_tunnel/{tunnel_id}` answers a
// tunnel as the API documents it (id, account_tag, name, status — inactive, degraded, healthy
// or down —, tun_type, connections to the edge), to a token with the account's Cloudflare
// Tunnel permission: 403 (10000) without it or for an account it does not know, 404 (7003) for
// an unknown tunnel id.
import { randomBytes } from "node:crypto";

/** A Cloudflare Tunnel (cfd_tunnel) of an account. */
export interface FakeTunnel {
  id: string;
  name: string;
  status: "inactive" | "degraded" | "healthy" | "down";
  /** connections to the edge (each answered as one of `connections`) */
  connections?: number;
}

type Refusal = { status: number; code: number; message: string };

export function tunnelAnswer(
  accounts: Record<string, FakeTunnel[]>,
  parts: string[],
  permitted: boolean,
): { refusal: Refusal } | { result: unknown } {
  if (parts.length !== 4 || parts[2] !== "cfd_tunnel")
    return { refusal: { status: 404, code: 7000, message: "No route for that URI" } };
  const tunnels = accounts[parts[1] ?? ""];
  if (!tunnels || !permitted)
    return { refusal: { status: 403, code: 10000, message: "Authentication error" } };
  const t = tunnels.find((x) => x.id === parts[3]);
  if (!t)
    return {
      refusal: {
        status: 404,
        code: 7003,
        message: `Could not route to /accounts/${parts[1]}/cfd_tunnel/${parts[3]}, perhaps your object identifier is invalid?`,
      },
    };
  const now = new Date().toISOString();
  const live = (t.connections ?? 0) > 0;
  return {
    result: {
      id: t.id,
      account_tag: parts[1],
      name: t.name,
      status: t.status,
      tun_type: "cfd_tunnel",
      remote_config: false,
      created_at: now,
      deleted_at: null,
      conns_active_at: live ? now : null,
      conns_inactive_at: live ? null : now,
      connections: Array.from({ length: t.connections ?? 0 }, (_, i) => ({
        id: randomBytes(16).toString("hex"),
        colo_name: ["ams01", "fra03", "lhr01", "cdg02"][i % 4],
        is_pending_reconnect: false,
        opened_at: now,
        origin_ip: "192.0.2.10",
        client_version: "2025.11.1",
      })),
    },
  };
}
