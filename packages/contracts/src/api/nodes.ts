// Nodes (servers running `steward agent`) through the API.
import { z } from "zod";
import { dnsPeer } from "../agent/dns.ts";
import { facts } from "../agent/protocol.ts";
import { agentVersion } from "../agent/upgrade.ts";
import { cidr } from "../net/address.ts";
import { sortQuery } from "../pagination.ts";
import { agentUrl, text } from "../validators.ts";

export const nodeStates = ["pending", "trusted", "unreachable", "revoked"] as const;
export const nodeState = z.enum(nodeStates);
export type NodeState = z.infer<typeof nodeState>;

/** A node's name: a host-name-like label, safe in logs, commands and certificates. */
export const nodeName = z
  .string()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters")
  .regex(
    /^[a-z0-9][a-z0-9.-]*$/,
    "must be lowercase letters, digits, dots and dashes, starting with a letter or a digit (like web-1)",
  );

/** https://host:port, the port within 1..65535. */
export const nodeAgentUrl = agentUrl.refine((s) => {
  const p = Number(s.slice(s.lastIndexOf(":") + 1));
  return p >= 1 && p <= 65535;
}, "the port must be between 1 and 65535");

const percent = z.number().min(0).max(100);

/** A node's health as last measured by the heartbeat (null until an agent reports it). */
export const nodeHealth = z.object({
  /** the operating system's name, from the node's facts */
  os: z.string().nullable(),
  load1: z.number(),
  load5: z.number(),
  load15: z.number(),
  cpus: z.number().int(),
  cpuPercent: percent,
  memoryPercent: percent,
  diskPercent: percent,
  measuredAt: z.string(),
});
export type NodeHealth = z.infer<typeof nodeHealth>;

/** One minute of a node's history. */
export const nodeMetricPoint = nodeHealth.omit({ os: true, cpus: true, measuredAt: true }).extend({
  at: z.string(),
});
/** The last 24 hours of a node's health, oldest first, one point per minute at most. */
export const nodeMetrics = z.object({ nodeId: z.string(), points: z.array(nodeMetricPoint) });
export type NodeMetrics = z.infer<typeof nodeMetrics>;

/** The task an action enqueued (its progress is the task's). */
export const enqueued = z.object({ taskId: z.string() });

export const nodeSummary = z.object({
  id: z.string(),
  name: z.string(),
  agentUrl: z.string(),
  state: nodeState,
  /** the agent of the machine the panel runs on */
  local: z.boolean(),
  /** SHA-256 of the agent's certificate (hex); the panel accepts no other */
  certFingerprint: z.string().nullable(),
  certExpiresAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  /** why the last heartbeat or request failed, in words a person can act on */
  lastError: z.string().nullable(),
  missedHeartbeats: z.number().int(),
  /** the operating system's name, from the node's facts (null until reported) */
  os: z.string().nullable(),
  health: nodeHealth.nullable(),
  /** the agent's version as its last heartbeat answered it (null until one has) */
  agentVersion: z.string().nullable(),
  /** the agent is older than the version this panel serves (an upgrade is due) */
  agentBehind: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NodeSummary = z.infer<typeof nodeSummary>;

/** What a super user allows this node's outbound targets (proxy upstreams) to reach. */
export const nodeOutbound = z.object({
  /** private ranges: 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), fc00::/7 */
  allowPrivate: z.boolean(),
  /** more ranges (CIDR), whatever their class: loopback, link-local... */
  allow: z.array(z.string()),
});
export type NodeOutbound = z.infer<typeof nodeOutbound>;

export const node = nodeSummary.extend({
  /** what the agent last reported about its machine (null until it has) */
  facts: facts.nullable(),
  outbound: nodeOutbound,
  /** where other nodes reach this node's DNS server (AXFR, NOTIFY): `IPv4:port`, or null */
  dnsAddress: z.string().nullable(),
  /** the agent this panel serves, which POST /nodes/{id}/agent-upgrade installs by default */
  agentUpgrade: z.object({
    version: z.string(),
    /** the panel has that build for the node's architecture (npm run build:agent) */
    available: z.boolean(),
  }),
});
export type Node = z.infer<typeof node>;

export const nodeCreate = z.strictObject({ name: nodeName, agentUrl: nodeAgentUrl });

/** A change to a node: its outbound policy (super users only), its DNS address (node admins). */
export const nodeUpdate = z
  .strictObject({
    outbound: z
      .strictObject({
        allowPrivate: z.boolean().optional(),
        allow: z.array(cidr).max(100, "must list at most 100 ranges").optional(),
      })
      .optional(),
    /** where other nodes reach its DNS server, `IPv4:port` (DNS secondaries); null unsets it */
    dnsAddress: dnsPeer.nullable().optional(),
  })
  .refine((u) => u.outbound !== undefined || u.dnsAddress !== undefined, {
    path: ["outbound"],
    message: "give outbound or dnsAddress",
  });
export type NodeUpdate = z.infer<typeof nodeUpdate>;
/** What the nodes list sorts by (never seen counts as the oldest heartbeat). */
export const nodeSorts = ["name", "state", "lastSeenAt"] as const;
export const nodeListQuery = z.strictObject({
  state: nodeState.optional(),
  /** part of the name or of the agent URL */
  q: text(100).optional(),
  sort: sortQuery(nodeSorts),
});

export const enrollmentToken = z.object({
  /** shown once; only its hash is kept */
  token: z.string(),
  expiresAt: z.string(),
  /** what to run on the server to enroll it with an agent already there (steward agent enroll) */
  command: z.string(),
  /**
   * the one-line installer: fetches install/agent.sh from the panel and runs it with the
   * token (docs/install.md); null when the panel's public URL cannot go into a shell line
   */
  installCommand: z.string().nullable(),
  /** the panel's TLS key pin (sha256//<base64>) when its certificate is self-signed, else null */
  panelPin: z.string().nullable(),
});
export type EnrollmentToken = z.infer<typeof enrollmentToken>;

/** POST /api/v1/nodes/{id}/agent-upgrade: a version the panel serves (its own by default). */
export const agentUpgradeRequest = z.strictObject({
  version: agentVersion.optional(),
});
export type AgentUpgradeRequest = z.infer<typeof agentUpgradeRequest>;
