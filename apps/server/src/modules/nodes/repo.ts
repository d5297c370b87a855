import { agent, type NodeState, nodeStates } from "@steward/contracts";
import { type Kysely, type Selectable, sql } from "kysely";
import type { Database, NodeTable } from "../../db/schema.ts";
import { likeContains, msToIso, namesById, toBool } from "../../lib/sql.ts";
import { type MetricRow, osName, toHealth } from "./health.ts";
import { nodeOutbound } from "./outbound.ts";

export type NodeRow = Selectable<NodeTable>;

const isoOrNull = (ms: number | null) => (ms === null ? null : msToIso(Number(ms)));

/** Facts as stored; facts of another shape (an older agent) read as none rather than fail. */
function factsOf(r: NodeRow): agent.Facts | null {
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
    createdAt: msToIso(Number(r.created_at)),
    updatedAt: msToIso(Number(r.updated_at)),
  };
}

export function toNode(r: NodeRow, latest?: MetricRow) {
  return { ...toSummary(r, latest), facts: factsOf(r), outbound: nodeOutbound(r) };
}

export async function listNodes(
  db: Kysely<Database>,
  f: { state?: NodeState; q?: string; limit: number; cursor?: string },
) {
  let q = db
    .selectFrom("nodes")
    .selectAll()
    .orderBy("id")
    .limit(f.limit + 1);
  if (f.cursor) q = q.where("id", ">", f.cursor);
  if (f.state) q = q.where("state", "=", f.state);
  if (f.q) {
    const text = f.q.toLowerCase();
    q = q.where((eb) =>
      eb.or([likeContains(sql`name`, text), likeContains(sql`lower(agent_url)`, text)]),
    );
  }
  return q.execute();
}

/** A node by id, or by name (names and ids never collide: ids have an underscore). */
export function findNode(db: Kysely<Database>, idOrName: string) {
  return db
    .selectFrom("nodes")
    .selectAll()
    .where((eb) => eb.or([eb("id", "=", idOrName), eb("name", "=", idOrName)]))
    .executeTakeFirst();
}

export const findByName = (db: Kysely<Database>, name: string) =>
  db.selectFrom("nodes").select(["id", "state"]).where("name", "=", name).executeTakeFirst();

export async function insertNode(
  db: Kysely<Database>,
  n: { id: string; name: string; agentUrl: string; local?: boolean },
) {
  const now = Date.now();
  await db
    .insertInto("nodes")
    .values({
      id: n.id,
      name: n.name,
      agent_url: n.agentUrl,
      state: "pending",
      local: n.local ? 1 : 0,
      cert_fingerprint: null,
      cert_expires_at: null,
      cert_next_fingerprint: null,
      cert_next_expires_at: null,
      facts: null,
      last_seen_at: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** The node's part of the outbound policy. */
export async function setOutbound(
  db: Kysely<Database>,
  id: string,
  o: { allowPrivate: boolean; allow: string[] },
) {
  await db
    .updateTable("nodes")
    .set({
      outbound_allow_private: o.allowPrivate ? 1 : 0,
      outbound_allow: JSON.stringify(o.allow),
      updated_at: Date.now(),
    })
    .where("id", "=", id)
    .execute();
}

/** Revokes unless already revoked; false when it already was. */
export async function revokeNode(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db
    .updateTable("nodes")
    .set({ state: "revoked", updated_at: Date.now() })
    .where("id", "=", id)
    .where("state", "<>", "revoked")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Nodes sites may be placed on (enrolled, not revoked), by name: id and name only. */
export const usableNodes = (db: Kysely<Database>) =>
  db
    .selectFrom("nodes")
    .select(["id", "name"])
    .where("state", "in", ["trusted", "unreachable"])
    .orderBy("name")
    .execute();

/** The node's current state, read right before talking to it. */
export const stateOf = (db: Kysely<Database>, id: string) =>
  db.selectFrom("nodes").select("state").where("id", "=", id).executeTakeFirst();

/** One heartbeat's point, in its minute (a later answer in the same minute replaces it). */
export async function recordMetric(db: Kysely<Database>, row: MetricRow) {
  const { node_id: _node, at: _at, ...values } = row;
  await db
    .insertInto("node_metrics")
    .values(row)
    .onConflict((oc) => oc.columns(["node_id", "at"]).doUpdateSet(values))
    .execute();
}

/** Forgets points older than `before` (ms). */
export async function pruneMetrics(db: Kysely<Database>, before: number) {
  await db.deleteFrom("node_metrics").where("at", "<", before).execute();
}

/** Each node's latest point, by node id. */
export async function latestMetrics(
  db: Kysely<Database>,
  ids: string[],
): Promise<Map<string, MetricRow>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom("node_metrics as m")
    .selectAll()
    .where("m.node_id", "in", ids)
    .where((eb) =>
      eb(
        "m.at",
        "=",
        eb
          .selectFrom("node_metrics as l")
          .select((l) => l.fn.max("l.at").as("at"))
          .whereRef("l.node_id", "=", "m.node_id"),
      ),
    )
    .execute();
  return new Map(rows.map((r) => [r.node_id, r]));
}

/** A node's points since `since` (ms), oldest first. */
export const metricsOf = (db: Kysely<Database>, id: string, since: number) =>
  db
    .selectFrom("node_metrics")
    .selectAll()
    .where("node_id", "=", id)
    .where("at", ">=", since)
    .orderBy("at")
    .execute();

/** Nodes by state (every state present). */
export async function countByState(db: Kysely<Database>) {
  const rows = await db
    .selectFrom("nodes")
    .select(["state", sql<number | string>`count(*)`.as("n")])
    .groupBy("state")
    .execute();
  const out = Object.fromEntries(nodeStates.map((s) => [s, 0])) as Record<NodeState, number>;
  for (const r of rows) out[r.state] = Number(r.n);
  return out;
}
/** The names of these nodes, by id. */
export const nodeNames = (db: Kysely<Database>, ids: readonly string[]) =>
  namesById(db, "nodes", "name", ids);
