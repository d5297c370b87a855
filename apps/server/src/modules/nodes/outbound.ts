// A node's outbound policy: what the installation allows and denies (settings outboundAllow,
// outboundDeny), what a super user allowed for this node (private ranges, more CIDRs), and the
// endpoints of Steward itself (the panel, the node's agent). Sent to the agent with every
// site.apply, and used by the panel to check input.
import type { OutboundEndpoint, OutboundPolicy } from "@steward/contracts/net";
import type { Settings } from "../../config/schema.ts";
import { panelAddresses, panelEndpoints } from "../../lib/outbound.ts";
import { toBool } from "../../lib/sql.ts";
import type { NodeRow } from "./repo.ts";

type OutboundSettings = Pick<
  Settings,
  "listen" | "port" | "publicUrl" | "outboundAllow" | "outboundDeny"
>;

/** The node's own part, as stored. */
export function nodeOutbound(r: Pick<NodeRow, "outbound_allow_private" | "outbound_allow">) {
  let allow: string[] = [];
  try {
    const parsed: unknown = JSON.parse(r.outbound_allow);
    if (Array.isArray(parsed)) allow = parsed.filter((x): x is string => typeof x === "string");
  } catch {}
  return { allowPrivate: toBool(r.outbound_allow_private), allow };
}

function agentEndpoint(agentUrl: string): OutboundEndpoint[] {
  try {
    const u = new URL(agentUrl);
    const port = Number(u.port) || 443;
    return [{ host: u.hostname.replace(/^\[|\]$/g, ""), port, what: "the agent" }];
  } catch {
    return [];
  }
}

/** The effective policy for targets reached from this node. */
export function nodePolicy(settings: OutboundSettings, node: NodeRow): OutboundPolicy {
  const own = nodeOutbound(node);
  return {
    allowPrivate: own.allowPrivate,
    allow: [...settings.outboundAllow, ...own.allow],
    deny: [...settings.outboundDeny],
    endpoints: [...panelEndpoints(settings, toBool(node.local)), ...agentEndpoint(node.agent_url)],
  };
}

/** The addresses "local" means on this node, as far as the panel knows them. */
export const nodeLocalAddresses = (node: NodeRow): string[] =>
  toBool(node.local) ? panelAddresses() : [];
