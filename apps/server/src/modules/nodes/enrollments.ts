// Enrollment tokens: 32 random bytes shown once, only their SHA-256 kept; single use, short
// lived, and a new one for a node replaces the ones it has not used.
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import * as repo from "./repo.ts";

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
  await repo.dropUnusedEnrollments(db, nodeId);
  await repo.insertEnrollment(db, {
    id: newId("enr"),
    node_id: nodeId,
    token_hash: hashToken(token),
    expires_at: expiresAt,
    used_at: null,
    created_by: createdBy,
    created_at: now,
  });
  return { token, expiresAt };
}

/** The enrollment a token belongs to, with its node; undefined for an unknown token. */
export const findByToken = (db: Kysely<Database>, token: string) =>
  repo.enrollmentByHash(db, hashToken(token));

/**
 * Marks the token used if it still is usable: of two enrollments racing with one token,
 * exactly one gets true.
 */
export const consume = (db: Kysely<Database>, id: string, now = Date.now()) =>
  repo.consumeEnrollment(db, id, now);
