// A worker process killed with SIGKILL mid-task: whichever panel process survives, an api
// process or another worker (neither with the scheduler role, and none started after the
// kill), puts its task back within twice the lease (2 s here), the attempt counted.
// PostgreSQL only: SQLite runs one process.
import { dialects } from "@steward/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { pidOf, type WorkerProcess, workersOnFreshDatabase } from "../testing/worker-process.ts";

const hasPostgres = dialects().includes("postgres");
const LEASE_MS = 2_000; // STEWARD_TASK_LEASE_SECONDS of workerPool's processes
const MARGIN_MS = 1_000; // polling and process scheduling on a busy machine

describe.skipIf(!hasPostgres)("lease reaping by surviving processes on postgres", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A task running in `victim`'s process, `survivor` alive; kills the victim with SIGKILL. */
  async function killMidTask(survivorRoles: string) {
    // this process only enqueues: it runs no worker and reaps nothing
    const { db, engine, pool } = await workersOnFreshDatabase(cleanups);
    const victim = await pool.start("worker");
    const { task } = await engine.enqueue({
      kind: "noop",
      payload: { sleepMs: 120_000, message: "started" },
    });
    const row = () =>
      db.db.selectFrom("tasks").selectAll().where("id", "=", task.id).executeTakeFirstOrThrow();
    // mid-run: the handler has written its line
    await expect
      .poll(
        async () =>
          (
            await db.db
              .selectFrom("task_logs")
              .select("id")
              .where("task_id", "=", task.id)
              .execute()
          ).length,
        { timeout: 30_000 },
      )
      .toBe(1);
    expect(pidOf((await row()).lease_owner ?? "")).toBe(victim.pid);
    const survivor: WorkerProcess = await pool.start(survivorRoles);
    victim.child.kill("SIGKILL");
    expect(await victim.exited).toEqual({ code: null, signal: "SIGKILL" });
    const killedAt = Date.now();
    return { row, killedAt, survivor };
  }

  it("an api process (no worker, no scheduler role) puts the task back within 2x the lease", async () => {
    const { row, killedAt, survivor } = await killMidTask("api");
    await expect
      .poll(async () => (await row()).state, { timeout: 2 * LEASE_MS + MARGIN_MS, interval: 50 })
      .toBe("queued");
    const back = await row();
    expect(back).toMatchObject({ attempts: 1, lease_owner: null, lease_until: null });
    expect(back.last_error).toBe("the worker running attempt 1 stopped answering (lease expired)");
    // when the survivor wrote it, by the same machine's clock
    expect(back.updated_at - killedAt).toBeLessThanOrEqual(2 * LEASE_MS);
    expect(survivor.child.exitCode).toBeNull();
  }, 90_000);

  it("another worker process (no scheduler role) reaps it within 2x the lease, then runs it", async () => {
    const { row, killedAt, survivor } = await killMidTask("worker");
    await expect
      .poll(async () => (await row()).state, { timeout: 2 * LEASE_MS + MARGIN_MS, interval: 50 })
      .toBe("queued");
    const back = await row();
    expect(back).toMatchObject({ attempts: 1, lease_owner: null });
    expect(back.last_error).toBe("the worker running attempt 1 stopped answering (lease expired)");
    expect(back.updated_at - killedAt).toBeLessThanOrEqual(2 * LEASE_MS);
    // after its backoff, the surviving worker runs it again
    await expect
      .poll(async () => (await row()).attempts, { timeout: 30_000, interval: 100 })
      .toBe(2);
    expect(pidOf((await row()).lease_owner ?? "")).toBe(survivor.pid);
    expect(survivor.child.exitCode).toBeNull();
  }, 90_000);
});
