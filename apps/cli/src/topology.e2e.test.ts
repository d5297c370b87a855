// The topology for many servers (docs/install.md), here on one machine: four real `steward
// serve` processes on one PostgreSQL database, two `--role api` (what a load balancer spreads
// requests over) and two `--role worker,scheduler`. Tasks are created through both APIs
// while a worker is killed (SIGKILL) holding leased tasks: every task succeeds (nothing
// lost), no attempt of a task runs twice (each run of the noop task writes one log line, with
// its attempt number: the side effect counted), only the killed worker's tasks run again
// (after their lease), and a task's live events reach a client of the other API replica.
import { readSse, summary } from "@steward/server/testing/sse-client";
import { pidOf, type WorkerProcess } from "@steward/server/testing/worker-process";
import { dialects } from "@steward/testkit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNoop, panelsOnPostgres } from "./testing/panels.ts";

const hasPostgres = dialects().includes("postgres");
const TASKS = 300;

describe.skipIf(!hasPostgres)("four serve processes on one PostgreSQL (api x2, worker x2)", () => {
  let panels: Awaited<ReturnType<typeof panelsOnPostgres>>;
  let apis: WorkerProcess[] = [];
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    panels = await panelsOnPostgres();
    const { pool } = panels;
    [apis, workers] = await Promise.all([
      Promise.all([pool.start("api"), pool.start("api")]),
      Promise.all([pool.start("worker,scheduler"), pool.start("worker,scheduler")]),
    ]);
  }, 120_000);
  afterAll(() => panels?.close());

  const api = (i: number) => `http://127.0.0.1:${apis[i % 2]?.port}`;
  const createTask = (i: number, payload: Record<string, unknown>) =>
    createNoop(api(i), panels.key, payload);

  it("streams a task created through one API replica to a client of the other", async () => {
    const id = await createTask(0, { sleepMs: 1_500, steps: 3 });
    const stream = await readSse(`${api(1)}/api/v1/tasks/${id}/events`, panels.key);
    expect(stream.status).toBe(200);
    await stream.ended; // the stream ends with the task
    const seen = summary(stream.events);
    expect(seen.at(-1)).toBe("state succeeded");
    expect(seen.filter((e) => e.startsWith("log step"))).toEqual([
      "log step 1 of 3",
      "log step 2 of 3",
      "log step 3 of 3",
    ]);
    // the events came live from the worker (another process), not from a finished task
    const row = await panels.db.db
      .selectFrom("tasks")
      .select("lease_owner")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(seen).toContain("state running");
    expect(apis.map((a) => a.pid)).not.toContain(pidOf(row.lease_owner ?? "x:0:x"));
  }, 60_000);

  it("runs every task created through both APIs once, a worker killed mid-load", async () => {
    const ids: string[] = [];
    let victimHeld = new Set<string>();
    let victim: WorkerProcess | undefined;
    const create = async (from: number, to: number) => {
      // ten requests at a time, alternating replicas
      for (let i = from; i < to; i += 10) {
        const batch = Array.from({ length: Math.min(10, to - i) }, (_, j) =>
          createTask(i + j, { sleepMs: 300, message: "ran" }),
        );
        ids.push(...(await Promise.all(batch)));
      }
    };
    await create(0, TASKS / 2);
    // kill the worker that holds running tasks, and note which ones it held at its death
    const leased = async () =>
      panels.db.db
        .selectFrom("tasks")
        .select(["id", "lease_owner"])
        .where("state", "=", "running")
        .execute();
    await expect
      .poll(
        async () => {
          const rows = await leased();
          victim = workers.find((w) => rows.some((r) => pidOf(r.lease_owner ?? "") === w.pid));
          victim?.child.kill("SIGKILL"); // at once: its tasks are still running
          return victim !== undefined;
        },
        { timeout: 30_000, interval: 10 },
      )
      .toBe(true);
    expect(await victim?.exited).toEqual({ code: null, signal: "SIGKILL" });
    const held = await panels.db.db
      .selectFrom("tasks")
      .select(["id", "lease_owner"])
      .where("lease_owner", "is not", null)
      .execute();
    victimHeld = new Set(
      held.filter((r) => pidOf(r.lease_owner ?? "") === victim?.pid).map((r) => r.id),
    );
    expect(victimHeld.size, JSON.stringify({ victim: victim?.pid, held })).toBeGreaterThan(0);
    await create(TASKS / 2, TASKS);
    expect(ids).toHaveLength(TASKS);

    // nothing lost: every task succeeds (the victim's after their lease, on the survivor)
    await expect
      .poll(
        async () => {
          const n = await panels.db.db
            .selectFrom("tasks")
            .select(sql<number>`count(*)`.as("n"))
            .where("id", "in", ids)
            .where("state", "=", "succeeded")
            .executeTakeFirstOrThrow();
          return Number(n.n);
        },
        { timeout: 90_000, interval: 200 },
      )
      .toBe(TASKS);
    const tasks = await panels.db.db
      .selectFrom("tasks")
      .select(["id", "attempts"])
      .where("id", "in", ids)
      .execute();
    const lines = await panels.db.db
      .selectFrom("task_logs")
      .select(["task_id", "attempt"])
      .where("task_id", "in", ids)
      .execute();
    const runs = new Map<string, number[]>();
    for (const l of lines) runs.set(l.task_id, [...(runs.get(l.task_id) ?? []), l.attempt]);
    const wrong: unknown[] = [];
    for (const t of tasks) {
      const attempts = (runs.get(t.id) ?? []).sort((a, b) => a - b);
      // each task ran, no attempt ran twice, the last run is the counted attempt
      if (attempts.length === 0 || new Set(attempts).size !== attempts.length)
        wrong.push({ id: t.id, attempts });
      else if (attempts.at(-1) !== t.attempts) wrong.push({ id: t.id, attempts, t });
      // only the killed worker's tasks ran more than once
      else if (attempts.length > 1 && !victimHeld.has(t.id)) wrong.push({ id: t.id, attempts });
    }
    expect(wrong).toEqual([]);
    const twice = tasks.filter((t) => (runs.get(t.id) ?? []).length > 1).length;
    expect(twice).toBeLessThanOrEqual(victimHeld.size);
    // the survivors are still there, and no task is left running
    expect(workers.find((w) => w !== victim)?.child.exitCode).toBeNull();
    expect(apis.map((a) => a.child.exitCode)).toEqual([null, null]);
    // and none is left running under the killed worker's lease (the panel's own recurring
    // tasks it held come back after their lease too; the survivor may be running one of them)
    const victimRunning = async () =>
      (await leased()).filter((r) => pidOf(r.lease_owner ?? "") === victim?.pid);
    await expect.poll(victimRunning, { timeout: 60_000 }).toEqual([]);
  }, 150_000);
});
