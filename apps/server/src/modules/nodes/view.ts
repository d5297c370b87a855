// A node row as the API shows it: the summary of the list, and the whole node with its facts
// and outbound policy.
import { agent } from "@steward/contracts";
import { msToIso, toBool } from "../../lib/sql.ts";
import { nodeOutbound } from "./outbound.ts";
import type { NodeRow } from "./repo.ts";

const isoOrNull = (ms: number | null) => (ms === null ? null : msToIso(Number(ms)));

export function toSummary(r: NodeRow) {
  return {
    id: r.id,
    name: r.name,
    agentUrl: r.agent_url,
    state: r.state,
    local: toBool(r.local),
    certFingerprint: r.cert_fingerprint,
    certExpiresAt: isoOrNull(r.cert_expires_at),
    lastSeenAt: isoOrNull(r.last_seen_at),
    lastError: r.last_error,
    missedHeartbeats: Number(r.missed_heartbeats),
    createdAt: msToIso(Number(r.created_at)),
    updatedAt: msToIso(Number(r.updated_at)),
  };
}

/** Facts as stored; facts of another shape (an older agent) read as none rather than fail. */
export function toNode(r: NodeRow) {
  let parsed: agent.Facts | null = null;
  if (r.facts) {
    try {
      const f = agent.facts.safeParse(JSON.parse(r.facts));
      parsed = f.success ? f.data : null;
    } catch {}
  }
  return { ...toSummary(r), facts: parsed, outbound: nodeOutbound(r) };
}
