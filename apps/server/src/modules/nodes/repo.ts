// The SQL of the nodes module: the nodes and node_enrollments tables (ownership.test.ts).
import { type NodeState, nodeStates } from "@steward/contracts";
import { type Insertable, type Kysely, type Selectable, sql } from "kysely";
import type { Database, NodeEnrollmentTable, NodeTable } from "../../db/schema.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { namesById } from "../../lib/names.ts";
import { likeContains } from "../../lib/sql.ts";
import type { MetricRow } from "./health.ts";

export type NodeRow = Selectable<NodeTable>;

/** The orders of the nodes list, each an index walk (migrations 004 and 014). */
export const nodeOrder = keyset("nodes.id", {
  name: { sql: "name", unique: true },
  state: { sql: "state" },
  // never seen: as if seen at the epoch
  lastSeenAt: { sql: "coalesce(last_seen_at, 0)", numeric: true },
});

export async function listNodes(
  db: Kysely<Database>,
  f: { state?: NodeState; q?: string; limit: number; walk?: Walk },
) {
  const walk = f.walk ?? nodeOrder(undefined, undefined);
  let q = walk.apply(db.selectFrom("nodes").selectAll()).limit(f.limit + 1);
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

/** Where other nodes reach the node's DNS server (null: unset). */
export async function setDnsAddress(db: Kysely<Database>, id: string, address: string | null) {
  await db
    .updateTable("nodes")
    .set({ dns_address: address, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

/** id → name and DNS address of these nodes (DNS secondaries). */
export async function dnsAddresses(db: Kysely<Database>, ids: readonly string[]) {
  if (!ids.length) return new Map<string, { name: string; address: string | null }>();
  const rows = await db
    .selectFrom("nodes")
    .select(["id", "name", "dns_address"])
    .where("id", "in", [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, address: r.dns_address }]));
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

/** Nodes in these states, by name: id and name only. */
export const nodesIn = (db: Kysely<Database>, states: readonly NodeState[]) =>
  db
    .selectFrom("nodes")
    .select(["id", "name"])
    .where("state", "in", states)
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
export const nodeNames = namesById("nodes", "name");

/** What talking to a node needs: its address, state and pinned certificates. */
export const pinsOf = (db: Kysely<Database>, id: string) =>
  db
    .selectFrom("nodes")
    .select(["id", "name", "agent_url", "state", "cert_fingerprint", "cert_next_fingerprint"])
    .where("id", "=", id)
    .executeTakeFirst();

/** Nodes a recurring task talks to: by state, one by id, enrolled ones, expiring ones. */
export function nodesToCheck(
  db: Kysely<Database>,
  f: { states?: NodeState[]; id?: string; enrolled?: boolean; expiringBefore?: number },
) {
  let q = db
    .selectFrom("nodes")
    .select(["id", "name", "agent_url", "local", "cert_fingerprint", "last_seen_at"])
    // whether the node's facts were ever read (not the facts themselves: heartbeats are often)
    .select(sql<number>`(case when facts is null then 0 else 1 end)`.as("has_facts"));
  if (f.states) q = q.where("state", "in", f.states);
  if (f.id) q = q.where("id", "=", f.id);
  if (f.enrolled) q = q.where("cert_fingerprint", "is not", null);
  if (f.expiringBefore !== undefined) q = q.where("cert_expires_at", "<", f.expiringBefore);
  return q.execute();
}

/** Enrollment: the node becomes trusted with its first certificate, unless revoked meanwhile. */
export async function trustNode(
  db: Kysely<Database>,
  id: string,
  n: { agentUrl: string; fingerprint: string; expiresAt: number; now: number },
): Promise<boolean> {
  const r = await db
    .updateTable("nodes")
    .set({
      state: "trusted",
      agent_url: n.agentUrl,
      cert_fingerprint: n.fingerprint,
      cert_expires_at: n.expiresAt,
      cert_next_fingerprint: null,
      cert_next_expires_at: null,
      missed_heartbeats: 0,
      last_error: null,
      last_seen_at: n.now,
      updated_at: n.now,
    })
    .where("id", "=", id)
    .where("state", "<>", "revoked")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * The node answered (with its agent's version): seen now; true when it was unreachable and is
 * trusted again.
 */
export async function markAnswered(
  db: Kysely<Database>,
  id: string,
  now: number,
  agentVersion: string,
) {
  const seen = {
    last_seen_at: now,
    missed_heartbeats: 0,
    last_error: null,
    agent_version: agentVersion,
  };
  const r = await db
    .updateTable("nodes")
    .set({ ...seen, state: "trusted", updated_at: now })
    .where("id", "=", id)
    .where("state", "=", "unreachable")
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 1) return true;
  await db
    .updateTable("nodes")
    .set(seen)
    .where("id", "=", id)
    .where("state", "=", "trusted")
    .execute();
  return false;
}

/** The node missed a heartbeat; true when that made it unreachable. */
export async function markMissed(
  db: Kysely<Database>,
  id: string,
  f: { reason: string; now: number; missesBeforeUnreachable: number },
) {
  await db
    .updateTable("nodes")
    .set((eb) => ({ missed_heartbeats: eb("missed_heartbeats", "+", 1), last_error: f.reason }))
    .where("id", "=", id)
    .where("state", "in", ["trusted", "unreachable"])
    .execute();
  const r = await db
    .updateTable("nodes")
    .set({ state: "unreachable", updated_at: f.now })
    .where("id", "=", id)
    .where("state", "=", "trusted")
    .where("missed_heartbeats", ">=", f.missesBeforeUnreachable)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setFacts(db: Kysely<Database>, id: string, facts: unknown) {
  await db
    .updateTable("nodes")
    .set({ facts: JSON.stringify(facts), updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

/** A signed certificate the agent is about to install: accepted from now on. */
export async function setNextCertificate(
  db: Kysely<Database>,
  id: string,
  cert: { fingerprint: string; expiresAt: number },
) {
  await db
    .updateTable("nodes")
    .set({ cert_next_fingerprint: cert.fingerprint, cert_next_expires_at: cert.expiresAt })
    .where("id", "=", id)
    .execute();
}

/**
 * The next certificate becomes the pinned one: the given fingerprint once the agent installed
 * it, or (no certificate given) whatever next one the client saw in use.
 */
export async function pinCertificate(
  db: Kysely<Database>,
  id: string,
  fingerprint: string,
  installed?: { expiresAt: number },
) {
  await db
    .updateTable("nodes")
    .set((eb) => ({
      cert_fingerprint: installed ? fingerprint : eb.ref("cert_next_fingerprint"),
      cert_expires_at: installed ? installed.expiresAt : eb.ref("cert_next_expires_at"),
      cert_next_fingerprint: null,
      cert_next_expires_at: null,
      updated_at: Date.now(),
    }))
    .where("id", "=", id)
    .where((eb) =>
      installed
        ? eb.or([
            eb("cert_next_fingerprint", "=", fingerprint),
            eb("cert_fingerprint", "=", fingerprint),
          ])
        : eb("cert_next_fingerprint", "=", fingerprint),
    )
    .execute();
}

/** Removes a node's enrollment tokens that were not used (a new one, or revocation). */
export async function dropUnusedEnrollments(db: Kysely<Database>, nodeId: string) {
  await db
    .deleteFrom("node_enrollments")
    .where("node_id", "=", nodeId)
    .where("used_at", "is", null)
    .execute();
}

export async function insertEnrollment(db: Kysely<Database>, row: Insertable<NodeEnrollmentTable>) {
  await db.insertInto("node_enrollments").values(row).execute();
}

/** The enrollment of a token's hash, with its node. */
export function enrollmentByHash(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom("node_enrollments as e")
    .innerJoin("nodes as n", "n.id", "e.node_id")
    .select([
      "e.id",
      "e.node_id",
      "e.expires_at",
      "e.used_at",
      "n.name",
      "n.state",
      "n.agent_url",
      "n.local",
    ])
    .where("e.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** Marks an enrollment used if it still is usable; true for exactly one of racing callers. */
export async function consumeEnrollment(db: Kysely<Database>, id: string, now: number) {
  const r = await db
    .updateTable("node_enrollments")
    .set({ used_at: now })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
