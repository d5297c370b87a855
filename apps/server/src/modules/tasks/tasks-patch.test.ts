// PATCH /api/v1/tasks/{id}: schedules, enabling and disabling, priority; without a worker.
import type { AuditEvent, Task } from "@steward/contracts";
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { LINES, SYSTEM_KIND } from "../../testing/task-kinds.ts";
import { clock, useTaskWorld } from "../../testing/task-world.ts";

const DAY = 24 * 3600_000;

describe.each(dialects())("changing tasks on %s", (dialect) => {
  const { s, w } = useTaskWorld(dialect);

  const patch = (id: string, body: unknown, key = w.keys.accountAdmin) =>
    s.request("PATCH", `/api/v1/tasks/${id}`, { key, body });
  const setRow = (id: string, set: Record<string, unknown>) =>
    s.svc.db.db.updateTable("tasks").set(set).where("id", "=", id).execute();
  const recurring = async (expression: string, timezone = "UTC") =>
    (
      await s.svc.engine.enqueue({
        kind: LINES,
        payload: {},
        accountId: w.a,
        expression,
        timezone,
      })
    ).task.id;

  it("recomputes the next run when the schedule changes, audited", async () => {
    const id = await recurring("0 3 * * *");
    const res = await patch(id, { expression: "30 4 * * *", timezone: "Asia/Tokyo" });
    expect(res.status).toBe(200);
    const t = res.body as Task;
    expect(t).toMatchObject({ expression: "30 4 * * *", timezone: "Asia/Tokyo", state: "queued" });
    expect(clock(t.runAt, "Asia/Tokyo")).toBe("04:30");
    expect(Date.parse(t.runAt) - Date.now()).toBeGreaterThan(0);
    expect(Date.parse(t.runAt) - Date.now()).toBeLessThanOrEqual(DAY);

    const tz = await patch(id, { timezone: "America/New_York" });
    expect(clock(tz.body.runAt, "America/New_York")).toBe("04:30");

    const events = await s.request("GET", `/api/v1/audit-events?target=${id}`, {
      key: w.keys.super,
    });
    const items = events.body.items as AuditEvent[];
    expect(items.map((e) => e.action)).toEqual(["task.update", "task.update"]);
    expect(items.map((e) => e.diff)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          expression: { from: "0 3 * * *", to: "30 4 * * *" },
          timezone: { from: "UTC", to: "Asia/Tokyo" },
          runAt: expect.objectContaining({ to: t.runAt }),
        }),
        expect.objectContaining({ timezone: { from: "Asia/Tokyo", to: "America/New_York" } }),
      ]),
    );
  });

  it("disables and enables; enabling skips the runs missed meanwhile", async () => {
    const id = await recurring("*/10 * * * *");
    const off = await patch(id, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, state: "queued" });
    await setRow(id, { run_at: Date.now() - DAY }); // missed while disabled
    const on = await patch(id, { enabled: true, priority: 1 });
    expect(on.body).toMatchObject({ enabled: true, priority: 1 });
    const next = Date.parse(on.body.runAt) - Date.now();
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThanOrEqual(10 * 60_000);
  });

  it("re-queues a finished run-once task that is enabled again", async () => {
    const { task } = await s.svc.engine.enqueue({ kind: LINES, payload: {}, accountId: w.a });
    await setRow(task.id, { state: "succeeded", enabled: 0, finished_at: Date.now() });
    const res = await patch(task.id, { enabled: true });
    expect(res.body).toMatchObject({ state: "queued", enabled: true, finishedAt: null });
    expect(Math.abs(Date.parse(res.body.runAt) - Date.now())).toBeLessThan(60_000);
  });

  it("turns a recurring task into a run-once one and back, where the kind allows it", async () => {
    const id = await recurring("@hourly");
    const once = await patch(id, { expression: null });
    expect(once.body).toMatchObject({ expression: null, timezone: null });
    const again = await patch(id, { expression: "@daily", timezone: "Europe/Paris" });
    expect(again.body).toMatchObject({ expression: "@daily", timezone: "Europe/Paris" });
    expect(clock(again.body.runAt, "Europe/Paris")).toBe("00:00");

    const sys = (await s.svc.engine.enqueue({ kind: SYSTEM_KIND, payload: {} })).task.id;
    const refused = await patch(sys, { expression: "@daily" }, w.keys.super);
    expect([refused.status, refused.body.error.details[0].field]).toEqual([400, "expression"]);
  });

  it("refuses a new schedule while the task runs, and changes by those without admin", async () => {
    const id = await recurring("@daily");
    await setRow(id, { state: "running" });
    const res = await patch(id, { expression: "@hourly" });
    expect([res.status, res.body.error.code, res.body.error.details[0].field]).toEqual([
      409,
      "CONFLICT",
      "expression",
    ]);
    expect((await patch(id, { priority: 0 })).body.priority).toBe(0);
    await setRow(id, { state: "queued" });
    for (const who of ["operator", "reader", "narrowKey"] as const)
      expect([who, (await patch(id, { priority: 9 }, w.keys[who])).status]).toEqual([who, 403]);
    for (const who of ["noGrant", "otherAdmin"] as const)
      expect([who, (await patch(id, { priority: 9 }, w.keys[who])).status]).toEqual([who, 404]);
    const unchanged = await s.request("GET", `/api/v1/tasks/${id}`, { key: w.keys.super });
    expect(unchanged.body).toMatchObject({ priority: 0, expression: "@daily" });
  });
});
