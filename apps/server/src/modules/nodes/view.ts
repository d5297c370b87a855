// A node row as the API shows it: the summary of the list (with its latest health point), and
// the whole node with its facts and outbound policy.
import { agent } from "@steward/contracts";
import { isoOrNull, msToIso, toBool } from "../../lib/sql.ts";
import { compareVersions } from "../../lib/versions.ts";
import { panelAgentVersion } from "../install/release.ts";
import { type MetricRow, osName, toHealth } from "./health.ts";
import { nodeOutbound } from "./outbound.ts";
import type { NodeRow } from "./repo.ts";

/** Facts as stored; facts of another shape (an older agent) read as none rather than fail. */
export function factsOf(r: NodeRow): agent.Facts | null {
  if (!r.facts) return null;
  try {
    const f = agent.facts.safeParse(JSON.parse(r.facts));
    return f.success ? f.data : null;
  } catch {
    return null;
  }
}

/** The node with its latest health point (none: not measured yet). */
export function toSummary(r: NodeRow, latest?: MetricRow) {
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
    os: osName(factsOf(r)),
    health: toHealth(latest, factsOf(r)),
    agentVersion: r.agent_version,
    agentBehind:
      r.agent_version !== null && compareVersions(r.agent_version, panelAgentVersion) < 0,
    createdAt: msToIso(Number(r.created_at)),
    updatedAt: msToIso(Number(r.updated_at)),
  };
}

export function toNode(r: NodeRow, latest?: MetricRow) {
  return {
    ...toSummary(r, latest),
    facts: factsOf(r),
    outbound: nodeOutbound(r),
    dnsAddress: r.dns_address,
  };
}
