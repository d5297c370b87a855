// The dashboard through a real socket: each actor sees the counts, failures and audit events
// its list endpoints would show it, nothing more.
import { type AuditEvent, countLimit, type Dashboard, type Task } from "@steward/contracts";
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTORS, type ActorName } from "../../testing/fixtures.ts";
import type { TestServer } from "../../testing/harness.ts";
import { LINES, SYSTEM_KIND } from "../../testing/task-kinds.ts";
import { useTaskWorld } from "../../testing/task-world.ts";

describe.each(dialects())("dashboard on %s", (dialect) => {
  const { s, w } = useTaskWorld(dialect);
  /** tasks of the test, by name */
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const add = async (
      name: string,
      spec: Parameters<TestServer["svc"]["engine"]["enqueue"]>[0],
    ) => {
      ids[name] = (await s.svc.engine.enqueue(spec)).task.id;
    };
    await add("queuedA", { kind: LINES, payload: {}, accountId: w.a });
    await add("failedA", { kind: LINES, payload: {}, accountId: w.a });
    await add("failedB", { kind: LINES, payload: {}, accountId: w.b });
    await add("failedSystem", { kind: SYSTEM_KIND, payload: {} });
    await add("recurringA", { kind: LINES, payload: {}, accountId: w.a, expression: "@daily" });
    await add("succeededA", { kind: LINES, payload: {}, accountId: w.a });
    // the test server runs no worker: outcomes are written as a worker would
    const now = Date.now();
    const set = (name: string, fields: Record<string, unknown>) =>
      s.svc.db.db
        .updateTable("tasks")
        .set(fields)
        .where("id", "=", ids[name] ?? "")
        .execute();
    const failed = (at: number, why: string) => ({
      state: "failed",
      last_outcome: "failed",
      last_error: why,
      finished_at: at,
    });
    await set("failedA", failed(now - 4000, "disk <full>\nline two"));
    await set("failedB", failed(now - 3000, "in B"));
    await set("failedSystem", failed(now - 2000, "system"));
    // a recurring task whose last run failed is back in the queue, and still a failure
    await set("recurringA", {
      last_outcome: "failed",
      last_error: "last run",
      finished_at: now - 1000,
    });
    await set("succeededA", { state: "succeeded", last_outcome: "succeeded", finished_at: now });
  });

  const dashboardOf = async (who: ActorName) => {
    const res = await s.request("GET", "/api/v1/dashboard", { key: w.keys[who] });
    expect([who, res.status]).toEqual([who, 200]);
    return res.body as Dashboard;
  };

  it("counts accounts each actor may read, and users and groups for super users only", async () => {
    const seen: Record<string, unknown> = {};
    for (const who of ACTORS) {
      const { counts } = await dashboardOf(who);
      seen[who] = [counts.accounts, counts.users !== null, counts.groups !== null];
    }
    expect(seen).toEqual({
      super: [2, true, true],
      accountAdmin: [1, false, false],
      operator: [1, false, false],
      reader: [1, false, false],
      noGrant: [0, false, false],
      otherAdmin: [1, false, false],
      // a super user's key narrowed to reading is not a super user's
      narrowKey: [2, false, false],
    });
    const { counts } = await dashboardOf("super");
    const users = await s.request("GET", "/api/v1/users?limit=200", { key: w.keys.super });
    const groups = await s.request("GET", "/api/v1/groups?limit=200", { key: w.keys.super });
    expect([counts.users, counts.groups]).toEqual([
      users.body.items.length,
      groups.body.items.length,
    ]);
  });

  it("counts tasks by state as the task list shows them to each actor, schedules apart from queued work", async () => {
    for (const who of ACTORS) {
      const { counts } = await dashboardOf(who);
      // the list shows recurring tasks waiting for their next run as queued
      const recurring = await s.request("GET", "/api/v1/tasks?state=queued&limit=200", {
        key: w.keys[who],
      });
      const schedules = recurring.body.items.filter(
        (t: { expression: string | null }) => t.expression !== null,
      ).length;
      expect([who, counts.schedules]).toEqual([who, schedules]);
      const listed: Record<string, number> = {};
      for (const state of Object.keys(counts.tasks)) {
        const res = await s.request("GET", `/api/v1/tasks?state=${state}&limit=200`, {
          key: w.keys[who],
        });
        listed[state] = res.body.items.length;
      }
      expect([who, { ...counts.tasks, queued: counts.tasks.queued + counts.schedules }]).toEqual([
        who,
        listed,
      ]);
    }
    const mine = (await dashboardOf("reader")).counts;
    // account A's recurring task is a schedule, its one-off queued task the queued work
    expect(mine.tasks).toEqual({ queued: 1, running: 0, succeeded: 1, failed: 1, cancelled: 0 });
    expect(mine.schedules).toBe(1);
  });

  it("lists the latest failures each actor may see, newest first, recurring ones included", async () => {
    const names = (tasks: Task[]) =>
      tasks.map((t) => Object.keys(ids).find((n) => ids[n] === t.id) ?? t.id);
    const seen: Record<string, string[]> = {};
    for (const who of ACTORS) seen[who] = names((await dashboardOf(who)).failedTasks);
    const inA = ["recurringA", "failedA"];
    expect(seen).toEqual({
      super: ["recurringA", "failedSystem", "failedB", "failedA"],
      accountAdmin: inA,
      operator: inA,
      reader: inA,
      noGrant: [],
      otherAdmin: ["failedB"],
      narrowKey: ["recurringA", "failedB", "failedA"],
    });
    const failedA = (await dashboardOf("reader")).failedTasks[1];
    expect(failedA).toMatchObject({ state: "failed", lastError: "disk <full>\nline two" });
  });

  it("shows the 10 latest audit events each actor may read", async () => {
    for (const who of ACTORS) {
      const { recentAudit } = await dashboardOf(who);
      const res = await s.request("GET", "/api/v1/audit-events?limit=10", { key: w.keys[who] });
      const listed = res.body.items as AuditEvent[];
      expect([who, recentAudit.map((e) => e.id)]).toEqual([who, listed.map((e) => e.id)]);
    }
    expect((await dashboardOf("super")).recentAudit).toHaveLength(10);
  });

  it("stops counting past the count limit: more than 1,000 tasks read as 1,001", async () => {
    const now = Date.now();
    const many = Array.from({ length: countLimit + 5 }, (_, i) => ({
      id: `task_many${String(i).padStart(6, "0")}`,
      kind: LINES,
      payload: "{}",
      account_id: w.a,
      state: "cancelled" as const,
      enabled: 0,
      priority: 5,
      run_at: now,
      on_success: "disable" as const,
      attempts: 0,
      max_attempts: 1,
      cancel_requested: 0,
      created_at: now,
      updated_at: now,
    }));
    await s.svc.db.db.insertInto("tasks").values(many).execute();
    try {
      for (const who of ["super", "reader"] as const) {
        const d = await dashboardOf(who);
        expect([who, d.countLimit, d.counts.tasks.cancelled]).toEqual([
          who,
          countLimit,
          countLimit + 1,
        ]);
      }
    } finally {
      await s.svc.db.db.deleteFrom("tasks").where("id", "like", "task_many%").execute();
    }
  });

  it("answers 401 without a session or key", async () => {
    const res = await s.request("GET", "/api/v1/dashboard");
    expect([res.status, res.body.error.code]).toEqual([401, "UNAUTHENTICATED"]);
  });
});
