// A proxy site's upstream under its node's outbound policy (modules/nodes/outbound.ts): checked
// at input, where a refusal is a 400 naming `upstream`, and sent with every apply so the agent
// checks it again with the node's resolver before nginx is given anything.
import { DEFAULT_POLICY, type OutboundPolicy } from "@steward/contracts/net";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { invalid } from "../../lib/errors.ts";
import { refuseHere } from "../../lib/outbound.ts";
import { publishedPortsOf } from "../apps/repo.ts";
import { nodeLocalAddresses, nodePolicy } from "../nodes/outbound.ts";
import { findNode } from "../nodes/repo.ts";

export type UpstreamSettings = Parameters<typeof nodePolicy>[0];

/**
 * The node's policy for an account's site: the node's own, and the host ports the account's
 * apps publish on the node (docs/apps.md, "Ingress through a site"): exactly those.
 */
async function sitePolicy(
  db: Kysely<Database>,
  settings: UpstreamSettings,
  node: NonNullable<Awaited<ReturnType<typeof findNode>>>,
  accountId: string | null,
): Promise<OutboundPolicy> {
  const appPorts = accountId ? await publishedPortsOf(db, accountId, node.id) : [];
  return { ...nodePolicy(settings, node), appPorts };
}

/** Throws a 400 naming `upstream` when the node's policy refuses it (unknown node: no check). */
export async function checkUpstream(
  db: Kysely<Database>,
  settings: UpstreamSettings,
  nodeId: string,
  upstream: string,
  accountId: string | null,
): Promise<void> {
  const node = await findNode(db, nodeId);
  if (!node || node.id !== nodeId) return; // the node's own check says why
  const why = await refuseHere(
    await sitePolicy(db, settings, node, accountId),
    upstream,
    "this node",
    nodeLocalAddresses(node),
  );
  if (why) throw invalid("upstream", why);
}

/** The policy sent to the node with an apply; the strictest when the node is gone. */
export async function policyForApply(
  db: Kysely<Database>,
  settings: UpstreamSettings,
  nodeId: string,
  accountId: string,
): Promise<OutboundPolicy> {
  const node = await findNode(db, nodeId);
  if (!node) return DEFAULT_POLICY;
  return sitePolicy(db, settings, node, accountId);
}
