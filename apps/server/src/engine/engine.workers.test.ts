// The two proofs with real processes: several `steward serve --role worker` processes on one
// PostgreSQL database run every task exactly once, and a worker killed mid-task loses
// nothing (its lease expires, the other process puts the task back and runs it
// again). Roles can only be split on PostgreSQL, so SQLite has no such test.
import { dialects } from "@steward/testkit";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { pidOf, workersOnFreshDatabase } from "../testing/worker-process.ts";

const hasPostgres = dialects().includes("postgres");

describe.skipIf(!hasPostgres)(
  "worker processes on postgres (PostgreSQL only: SQLite runs one process)",
  () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    /** A fresh database, an engine that only enqueues, and a pool of worker processes. */
    const setup = () => workersOnFreshDatabase(cleanups);

    it("shares 500 tasks among 3 worker processes, each task run exactly once", async () => {
      const { db, engine, pool } = await setup();
      await Promise.all([1, 2, 3].map(() => pool.start("worker")));
      const ids: string[] = [];
      // in batches, so the workers claim while more arrive
      for (let batch = 0; batch < 5; batch++) {
        await db.db.transaction().execute(async (trx) => {
          for (let i = 0; i < 100; i++) {
            const spec = { kind: "noop", payload: { sleepMs: 10, message: "ran" } };
            ids.push((await engine.enqueue(spec, trx)).task.id);
          }
        });
      }
      const owners = new Set<string>();
      await expect
        .poll(
          async () => {
            const running = await db.db
              .selectFrom("tasks")
              .select("lease_owner")
              .where("state", "=", "running")
              .execute();
            for (const r of running) if (r.lease_owner) owners.add(r.lease_owner);
            const done = await db.db
              .selectFrom("tasks")
              .select(sql<number>`count(*)`.as("n"))
              .where("state", "=", "succeeded")
              .executeTakeFirstOrThrow();
            return Number(done.n);
          },
          { timeout: 60_000, interval: 20 },
        )
        .toBe(500);
      const rows = await db.db.selectFrom("tasks").select(["id", "state", "attempts"]).execute();
      expect(rows).toHaveLength(500);
      expect(rows.filter((r) => r.state !== "succeeded" || r.attempts !== 1)).toEqual([]);
      // every run writes one log line: two runs of a task would leave two
      const lines = await db.db
        .selectFrom("task_logs")
        .select(["task_id", sql<number>`count(*)`.as("n"), sql<number>`max(attempt)`.as("a")])
        .groupBy("task_id")
        .execute();
      expect(lines).toHaveLength(500);
      expect(lines.filter((l) => Number(l.n) !== 1 || Number(l.a) !== 1)).toEqual([]);
      expect(new Set(lines.map((l) => l.task_id))).toEqual(new Set(ids));
      // the work was shared: more than one process held tasks
      expect(new Set([...owners].map(pidOf)).size).toBeGreaterThanOrEqual(2);
    }, 120_000);

    it("finishes the task of a worker killed mid-run on another worker, as a second attempt", async () => {
      const { db, engine, pool } = await setup();
      const workers = await Promise.all([1, 2].map(() => pool.start("worker")));
      const { task } = await engine.enqueue({
        kind: "noop",
        payload: { sleepMs: 3_000, message: "started" },
      });
      const row = () =>
        db.db.selectFrom("tasks").selectAll().where("id", "=", task.id).executeTakeFirstOrThrow();
      await expect.poll(async () => (await row()).state, { timeout: 30_000 }).toBe("running");
      // mid-run: the handler has written its line (the row reads running a moment before that)
      const lines = () =>
        db.db.selectFrom("task_logs").select("id").where("task_id", "=", task.id).execute();
      await expect.poll(async () => (await lines()).length, { timeout: 30_000 }).toBe(1);
      const owner = (await row()).lease_owner ?? "";
      const victim = workers.find((w) => w.pid === pidOf(owner));
      const survivor = workers.find((w) => w !== victim);
      expect(victim, `lease owner ${owner} is one of the workers`).toBeDefined();
      victim?.child.kill("SIGKILL");
      expect(await victim?.exited).toEqual({ code: null, signal: "SIGKILL" });
      await expect
        .poll(async () => (await row()).state, { timeout: 60_000, interval: 100 })
        .toBe("succeeded");
      const final = await row();
      expect(final.attempts).toBe(2);
      const logs = await db.db
        .selectFrom("task_logs")
        .select(["attempt", "message"])
        .where("task_id", "=", task.id)
        .orderBy("id")
        .execute();
      expect(logs).toEqual([
        { attempt: 1, message: "started" },
        { attempt: 2, message: "started" },
      ]);
      const stuck = await db.db
        .selectFrom("tasks")
        .select("id")
        .where("state", "=", "running")
        .execute();
      expect(stuck).toEqual([]);
      expect(survivor?.child.exitCode).toBeNull();
    }, 120_000);
  },
);
