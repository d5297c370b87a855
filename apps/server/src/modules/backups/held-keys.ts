// An identity (X25519 private key) a caller gave for one restore or test restore of an artifact
// of a `recipients` plan: never in the task's payload, its log or the audit. It is held sealed
// with the master key in `backup_held_keys` (migration 076) from the request, registered in
// the enqueue's transaction so before any worker can claim the task, until the task takes it
// (the row is deleted as it is read), and dropped an hour after the request if no task took it
// (the task was cancelled). Any panel process may run the task, and the CLI, which enqueues
// without running tasks, can hand one to `steward serve`.
import type { Kysely } from "kysely";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Database } from "../../db/schema.ts";

const TTL_MS = 3600_000;

export async function holdKey(
  k: Kysely<Database>,
  secrets: Secrets,
  taskId: string,
  key: string,
  now = Date.now(),
) {
  await k.deleteFrom("backup_held_keys").where("expires_at", "<", now).execute();
  await k
    .insertInto("backup_held_keys")
    .values({ task_id: taskId, sealed: secrets.seal(key), expires_at: now + TTL_MS })
    .execute();
}

/** The key held for the task, once (null: none, expired, or already taken). */
export async function takeKey(
  k: Kysely<Database>,
  secrets: Secrets,
  taskId: string,
  now = Date.now(),
): Promise<string | null> {
  const row = await k
    .deleteFrom("backup_held_keys")
    .where("task_id", "=", taskId)
    .returning(["sealed", "expires_at"])
    .executeTakeFirst();
  if (!row || Number(row.expires_at) < now) return null;
  return secrets.open(row.sealed);
}
