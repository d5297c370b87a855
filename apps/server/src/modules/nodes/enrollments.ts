// Enrollment tokens: 32 random bytes shown once, only their SHA-256 kept; single use, short
// lived, and a new one for a node replaces the ones it has not used.
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";

export const TOKEN_MINUTES = 15;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Makes a token for a node in the caller's transaction, removing its unused older ones. */
export async function createToken(
  db: Kysely<Database>,
  nodeId: string,
  createdBy: string | null,
  now = Date.now(),
) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = now + TOKEN_MINUTES * 60_000;
  await db
    .deleteFrom("node_enrollments")
    .where("node_id", "=", nodeId)
    .where("used_at", "is", null)
    .execute();
  await db
    .insertInto("node_enrollments")
    .values({
      id: newId("enr"),
      node_id: nodeId,
      token_hash: hashToken(token),
      expires_at: expiresAt,
      used_at: null,
      created_by: createdBy,
      created_at: now,
    })
    .execute();
  return { token, expiresAt };
}

/** The enrollment a token belongs to, with its node; undefined for an unknown token. */
export function findByToken(db: Kysely<Database>, token: string) {
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
    .where("e.token_hash", "=", hashToken(token))
    .executeTakeFirst();
}

/**
 * Marks the token used if it still is usable: of two enrollments racing with one token,
 * exactly one gets true.
 */
export async function consume(db: Kysely<Database>, id: string, now = Date.now()) {
  const r = await db
    .updateTable("node_enrollments")
    .set({ used_at: now })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
