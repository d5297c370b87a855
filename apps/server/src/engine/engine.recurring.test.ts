// Recurring tasks (cron in a time zone, missed runs run once) and run-once tasks (deleted or
// kept disabled on success, re-run by re-enabling), on both dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { engineSuite, kind, pause } from "../testing/engine.ts";
import { nextRun } from "./schedule.ts";

const hourIn = (zone: string, ms: number) =>
  Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(
      ms,
    ),
  );

describe.each(dialects())("recurring and run-once tasks on %s", (dialect) => {
  const s = engineSuite(dialect);
  const recurring = (ran: string[]) =>
    kind("t.cron", async (ctx) => void ran.push(ctx.task.id), { recurring: true });

  it("runs a seconds cron again and again, back to queued after each run", async () => {
    const ran: string[] = [];
    const engine = s.start([recurring(ran)]);
    const { task } = await engine.enqueue({
      kind: "t.cron",
      payload: {},
      expression: "*/1 * * * * *",
      timezone: "UTC",
    });
    await expect.poll(() => ran.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const row = await s.row(task.id);
    expect(row).toMatchObject({ expression: "*/1 * * * * *", timezone: "UTC", enabled: 1 });
    expect(["queued", "running"]).toContain(row?.state);
    expect(row?.last_outcome).toBe("succeeded");
  });

  it("computes the first and the next run in the task's time zone", async () => {
    const ran: string[] = [];
    const engine = s.start([recurring(ran)]);
    const spec = { kind: "t.cron", payload: {}, expression: "0 9 * * *" };
    const paris = (await engine.enqueue({ ...spec, timezone: "Europe/Paris" })).task;
    const utc = (await engine.enqueue({ ...spec, timezone: "UTC" })).task;
    expect(hourIn("Europe/Paris", paris.run_at)).toBe(9);
    expect(hourIn("UTC", utc.run_at)).toBe(9);
    expect(paris.run_at).not.toBe(utc.run_at);
    // make the Paris one due: after it runs, the next run is again 09:00 in Paris
    await s.db.db
      .updateTable("tasks")
      .set({ run_at: Date.now() - 1_000 })
      .where("id", "=", paris.id)
      .execute();
    await expect.poll(() => ran, { timeout: 15_000 }).toEqual([paris.id]);
    await expect.poll(async () => (await s.row(paris.id))?.finished_at).not.toBeNull();
    const after = await s.waitFor(paris.id, "queued");
    expect(after.run_at).toBeGreaterThan(Date.now());
    expect(hourIn("Europe/Paris", after.run_at)).toBe(9);
    expect(after.run_at).toBe(nextRun("0 9 * * *", "Europe/Paris", after.finished_at ?? 0));
    expect(after).toMatchObject({ attempts: 0, last_outcome: "succeeded", enabled: 1 });
  });

  it("runs missed occurrences once after downtime, then resumes in the future", async () => {
    const ran: string[] = [];
    const engine = s.start([recurring(ran)], { worker: false });
    const { task } = await engine.enqueue({
      kind: "t.cron",
      payload: {},
      expression: "0 * * * *",
      timezone: "UTC",
      // hourly, and it was due five hours ago: five occurrences were missed
      runAt: Date.now() - 5 * 3_600_000,
    });
    engine.startWorker();
    await expect.poll(() => ran.length, { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await s.row(task.id))?.run_at).toBeGreaterThan(Date.now());
    await pause(500);
    expect(ran).toEqual([task.id]);
    const row = await s.row(task.id);
    expect(row?.state).toBe("queued");
    expect(row?.run_at).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(new Date(row?.run_at ?? 0).getUTCMinutes()).toBe(0);
  });

  it("rejects a cron expression for a kind that cannot recur", async () => {
    const engine = s.start([kind("t.once", async () => {})], { worker: false });
    await expect(
      engine.enqueue({ kind: "t.once", payload: {}, expression: "* * * * *" }),
    ).rejects.toThrow(/^expression: tasks of kind t.once cannot be recurring/);
  });

  it("deletes a run-once task on success when asked to", async () => {
    const ran: string[] = [];
    const engine = s.start([
      kind("t.once", async (ctx) => {
        ctx.log.info("done");
        ran.push(ctx.task.id);
      }),
    ]);
    const { task } = await engine.enqueue({ kind: "t.once", payload: {}, onSuccess: "delete" });
    await expect.poll(() => s.row(task.id), { timeout: 15_000 }).toBeUndefined();
    expect(ran).toEqual([task.id]);
    const logs = await s.db.db
      .selectFrom("task_logs")
      .selectAll()
      .where("task_id", "=", task.id)
      .execute();
    expect(logs).toEqual([]);
  });

  it("keeps a run-once task disabled as a record, and re-runs it when re-enabled", async () => {
    const ran: string[] = [];
    const engine = s.start([kind("t.once", async (ctx) => void ran.push(ctx.task.id))]);
    const { task } = await engine.enqueue({ kind: "t.once", payload: {} });
    const first = await s.waitFor(task.id, "succeeded");
    expect(first).toMatchObject({ enabled: 0, on_success: "disable", attempts: 1 });
    await pause(300);
    expect(ran).toEqual([task.id]);
    // what the API does to re-run it: enable it and queue it again
    await s.db.db
      .updateTable("tasks")
      .set({ enabled: 1, state: "queued", attempts: 0, run_at: Date.now() })
      .where("id", "=", task.id)
      .execute();
    await expect.poll(() => ran, { timeout: 15_000 }).toEqual([task.id, task.id]);
    const second = await s.waitFor(task.id, "succeeded");
    expect(second).toMatchObject({ enabled: 0, attempts: 1 });
  });

  it("does not run a disabled task until it is enabled", async () => {
    const ran: string[] = [];
    const engine = s.start([kind("t.once", async (ctx) => void ran.push(ctx.task.id))]);
    const { task } = await engine.enqueue({ kind: "t.once", payload: {}, enabled: false });
    await pause(400);
    expect(ran).toEqual([]);
    await s.db.db.updateTable("tasks").set({ enabled: 1 }).where("id", "=", task.id).execute();
    await s.waitFor(task.id, "succeeded");
    expect(ran).toEqual([task.id]);
  });
});
