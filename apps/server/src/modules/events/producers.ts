// The events of nodes and sites, each recorded by its producer in the transaction of its cause
// (the heartbeat's state change, the site's failed apply). Nodes belong to no account: their
// events are installation-level (super users only). A site's events are grouped by its node,
// so many sites failing on one node at once can become one message.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { isoOrNull } from "../../lib/sql.ts";
import { recordEvent } from "./record.ts";

interface NodeRef {
  id: string;
  name: string;
  last_seen_at: number | null;
}

const nodeTarget = (n: NodeRef) => ({ type: "node", id: n.id, name: n.name });
/** a node's events and its sites' share one group */
export const nodeGroup = (nodeId: string) => `node:${nodeId}`;

/** The node stopped answering its heartbeats (it just became unreachable). */
export const nodeUnreachable = (trx: Kysely<Database>, n: NodeRef, error: string) =>
  recordEvent(trx, {
    type: "node.unreachable",
    accountId: null,
    target: nodeTarget(n),
    summary: `node ${n.name} is unreachable`,
    groupKey: nodeGroup(n.id),
    fields: {
      nodeId: n.id,
      nodeName: n.name,
      lastSeenAt: isoOrNull(n.last_seen_at === null ? null : Number(n.last_seen_at)),
      error: error.slice(0, 4000),
    },
  });

/**
 * The node answers again; its downtime runs from its last answer before (null when it never
 * answered).
 */
export const nodeReachable = (trx: Kysely<Database>, n: NodeRef, now: number) =>
  recordEvent(trx, {
    type: "node.reachable",
    accountId: null,
    target: nodeTarget(n),
    summary: `node ${n.name} is reachable again`,
    groupKey: nodeGroup(n.id),
    fields: {
      nodeId: n.id,
      nodeName: n.name,
      downtimeSeconds:
        n.last_seen_at === null
          ? null
          : Math.max(0, Math.round((now - Number(n.last_seen_at)) / 1000)),
    },
  });

interface SiteRef {
  id: string;
  account_id: string;
  node_id: string;
  primary_domain: string;
}

/** A change of the site failed for good: the site is `failed` with this error. */
export const siteFailed = (
  trx: Kysely<Database>,
  site: SiteRef,
  nodeName: string | null,
  error: string,
) =>
  recordEvent(trx, {
    type: "site.failed",
    accountId: site.account_id,
    target: { type: "site", id: site.id, name: site.primary_domain },
    summary: `site ${site.primary_domain} failed`,
    groupKey: nodeGroup(site.node_id),
    fields: {
      siteId: site.id,
      domain: site.primary_domain,
      nodeName,
      error: error.slice(0, 4000),
    },
  });
