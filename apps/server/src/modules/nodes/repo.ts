import { agent, type NodeState } from "@steward/contracts";
import { type Kysely, type Selectable, sql } from "kysely";
import type { Database, NodeTable } from "../../db/schema.ts";
import { likeContains, msToIso, namesById, toBool } from "../../lib/sql.ts";
import { nodeOutbound } from "./outbound.ts";

export type NodeRow = Selectable<NodeTable>;

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

/** The node's current state, read right before talking to it. */
export const stateOf = (db: Kysely<Database>, id: string) =>
  db.selectFrom("nodes").select("state").where("id", "=", id).executeTakeFirst();

/** The names of these nodes, by id. */
export const nodeNames = (db: Kysely<Database>, ids: readonly string[]) =>
  namesById(db, "nodes", "name", ids);
