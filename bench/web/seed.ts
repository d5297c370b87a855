// Fills a data directory with a super user, 10,000 tasks and 10,000 audit events, through
// Steward's own services (the same code paths the API uses), before the panel starts on it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newId } from "@steward/server";
import { openSeeding } from "../lib/services.ts";

export const EMAIL = "bench@example.com";
export const PASSWORD = "correct horse battery staple";

export async function seed(counts: { tasks: number; audit: number }): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "steward-bench-web-"));
  const { db, svc, ctx, close } = await openSeeding(dataDir);
  await svc.users.create(ctx, { email: EMAIL, password: PASSWORD, super: true });
  const later = Date.now() + 30 * 24 * 3600_000; // queued, not run while measuring
  for (let i = 0; i < counts.tasks; i += 1000) {
    const n = Math.min(1000, counts.tasks - i);
    await svc.engine.enqueueMany(
      Array.from({ length: n }, (_, j) => ({
        kind: "noop",
        payload: { message: `bench task ${i + j}` },
        runAt: later,
      })),
    );
  }
  const now = Date.now();
  for (let i = 0; i < counts.audit; i += 500) {
    const rows = Array.from({ length: Math.min(500, counts.audit - i) }, (_, j) => ({
      id: newId("ev"),
      at: now - (i + j) * 1000,
      actor_type: "system" as const,
      actor_id: null,
      actor_name: "bench",
      ip: null,
      request_id: `bench-${i + j}`,
      action: "task.create",
      target_type: "task",
      target_id: `task_${i + j}`,
      account_id: null,
      outcome: "success" as const,
      diff: JSON.stringify({ after: { kind: "noop" } }),
    }));
    await db.db.insertInto("audit_events").values(rows).execute();
  }
  await close();
  return dataDir;
}
