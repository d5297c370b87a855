// Running and cancelling tasks through the API with a worker: run now, re-run a finished
// run-once task, run a recurring one once, cancel a running one through its worker.
import type { AuditEvent, Task } from "@steward/contracts";
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { LINES } from "../../testing/task-kinds.ts";
import { useTaskWorld } from "../../testing/task-world.ts";

describe.each(dialects())("running tasks on %s", (dialect) => {
  const { s, w } = useTaskWorld(dialect);
  beforeAll(async () => {
    s.svc.engine.startWorker();
  });

  const create = async (body: Record<string, unknown>) => {
    const res = await s.request("POST", "/api/v1/tasks", {
      key: w.keys.accountAdmin,
      body: { kind: LINES, accountId: w.a, ...body },
    });
    expect(res.status).toBe(201);
    return res.body as Task;
  };
  const get = async (id: string) =>
    (await s.request("GET", `/api/v1/tasks/${id}`, { key: w.keys.reader })).body as Task;
  const settled = (id: string, state: Task["state"], field: keyof Task = "state") =>
    expect.poll(async () => (await get(id))[field], { timeout: 10_000 }).toBe(state);
  const act = (id: string, verb: "run" | "cancel", key = w.keys.operator) =>
    s.request("POST", `/api/v1/tasks/${id}/${verb}`, { key });

  it("re-runs a finished run-once task on demand", async () => {
    const t = await create({ payload: { lines: 2 } });
    await settled(t.id, "succeeded");
    expect(await get(t.id)).toMatchObject({ enabled: false, attempts: 1 });
    const res = await act(t.id, "run");
    expect(res.status).toBe(200);
    // the worker may have taken it already
    expect(["queued", "running", "succeeded"]).toContain(res.body.state);
    expect(res.body.enabled || res.body.state === "succeeded").toBe(true);
    await settled(t.id, "succeeded");
    const logs = await s.request("GET", `/api/v1/tasks/${t.id}/logs?limit=3`, {
      key: w.keys.reader,
    });
    expect(logs.body.items.map((l: { message: string }) => l.message)).toEqual([
      "line 1",
      "line 2",
      "line 1",
    ]);
    const rest = await s.request(
      "GET",
      `/api/v1/tasks/${t.id}/logs?cursor=${logs.body.nextCursor}`,
      { key: w.keys.reader },
    );
    expect(rest.body).toMatchObject({ items: [{ message: "line 2" }], nextCursor: null });
    const audit = await s.request("GET", `/api/v1/audit-events?target=${t.id}`, {
      key: w.keys.super,
    });
    expect((audit.body.items as AuditEvent[]).map((e) => [e.action, e.diff])).toEqual([
      ["task.run", { state: { from: "succeeded", to: "queued" } }],
      ["task.create", expect.anything()],
    ]);
    expect((await act(t.id, "run", w.keys.reader)).status).toBe(403);
  });

  it("runs a recurring task now, once, then keeps its schedule", async () => {
    const t = await create({ expression: "0 0 1 1 *", timezone: "UTC", payload: { lines: 1 } });
    const scheduled = t.runAt;
    expect(Date.parse(scheduled)).toBeGreaterThan(Date.now());
    expect((await act(t.id, "run")).status).toBe(200);
    await settled(t.id, "succeeded", "lastOutcome");
    expect(await get(t.id)).toMatchObject({ state: "queued", runAt: scheduled, enabled: true });
  });

  it("cancels a running task through its worker; refuses to run it meanwhile", async () => {
    const t = await create({ payload: { lines: 1, hold: true } });
    await settled(t.id, "running");
    // the lists show it running, filtered by state (tasks_state_idx's 'running' range) or not
    const listed = async (query: string) =>
      (
        (await s.request("GET", `/api/v1/tasks?${query}`, { key: w.keys.reader })).body
          .items as Task[]
      ).find((item) => item.id === t.id)?.state;
    expect(await listed("state=running")).toBe("running");
    expect(await listed(`account=${w.a}`)).toBe("running");
    expect(await listed("state=queued")).toBeUndefined();
    const busy = await act(t.id, "run");
    expect([busy.status, busy.body.error.details[0].field]).toEqual([409, "state"]);
    const res = await act(t.id, "cancel");
    expect(res.body).toMatchObject({ state: "running", cancelRequested: true });
    await settled(t.id, "cancelled");
    expect(await get(t.id)).toMatchObject({ lastOutcome: "cancelled", lastError: "cancelled" });
    const again = await act(t.id, "cancel");
    expect([again.status, again.body.error.message]).toEqual([
      409,
      "the task has already finished (cancelled); there is nothing to cancel",
    ]);
  });
});
