// An identity (X25519 private key) a caller gave for one restore, test restore or download of
// an artifact of a `recipients` plan: never stored (not in the task's payload, the log or the
// audit), held in this panel process's memory from the request until its task takes it, and
// dropped after an hour if no task did (the task was cancelled). A task run by another panel
// process (several on one PostgreSQL) finds nothing and fails saying so: ask again.
const held = new Map<string, { key: string; timer: NodeJS.Timeout }>();
const TTL_MS = 3600_000;

export function holdKey(taskId: string, key: string) {
  const timer = setTimeout(() => held.delete(taskId), TTL_MS);
  timer.unref();
  held.set(taskId, { key, timer });
}

/** The key held for the task, once (null: none, or already taken). */
export function takeKey(taskId: string): string | null {
  const entry = held.get(taskId);
  if (!entry) return null;
  clearTimeout(entry.timer);
  held.delete(taskId);
  return entry.key;
}
