// The task API through a real socket, without a worker: creating (and refusing), listing with
// filters, pages and access rules, cancelling queued tasks, audit events.
import type { AuditEvent, Task } from "@steward/contracts";
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { rowCounts } from "../../testing/fixtures.ts";
import { INTERNAL_KIND, LINES, SYSTEM_KIND, UNIQUE_KIND } from "../../testing/task-kinds.ts";
import { clock, useTaskWorld } from "../../testing/task-world.ts";

const HOUR = 3600_000;

describe.each(dialects())("task API on %s", (dialect) => {
  const { s, w } = useTaskWorld(dialect);

  const post = (key: string, body: unknown) => s.request("POST", "/api/v1/tasks", { key, body });
  const audit = async (taskId: string) => {
    const res = await s.request("GET", `/api/v1/audit-events?target=${taskId}`, {
      key: w.keys.super,
    });
    return (res.body.items as AuditEvent[]).map((e) => ({ action: e.action, diff: e.diff }));
  };

  it("creates run-once and recurring tasks in an account, audited", async () => {
    const key = w.keys.accountAdmin;
    const once = await post(key, {
      kind: LINES,
      accountId: w.a,
      payload: { lines: 2 },
      priority: 2,
      delaySeconds: 3600,
    });
    expect(once.status).toBe(201);
    const t = once.body as Task;
    expect(t).toMatchObject({
      kind: LINES,
      accountId: w.a,
      state: "queued",
      enabled: true,
      priority: 2,
      expression: null,
      createdBy: "account-admin@example.com",
      payload: { lines: 2, delayMs: 0, word: "line", fail: false, hold: false },
    });
    expect(Math.abs(Date.parse(t.runAt) - (Date.now() + HOUR))).toBeLessThan(60_000);
    expect(await audit(t.id)).toEqual([
      {
        action: "task.create",
        diff: expect.objectContaining({ after: expect.objectContaining({ kind: LINES }) }),
      },
    ]);

    const daily = await post(key, {
      kind: LINES,
      accountId: w.a,
      expression: "0 3 * * *",
      timezone: "Europe/Paris",
    });
    expect(daily.status).toBe(201);
    expect(daily.body).toMatchObject({ expression: "0 3 * * *", timezone: "Europe/Paris" });
    expect(clock(daily.body.runAt, "Europe/Paris")).toBe("03:00");
    expect(Date.parse(daily.body.runAt) - Date.now()).toBeLessThanOrEqual(25 * HOUR);

    // system tasks: without an account, or of a system kind, are for super users only
    expect((await post(key, { kind: SYSTEM_KIND, accountId: w.a })).status).toBe(403);
    expect((await post(key, { kind: LINES })).status).toBe(403);
    expect((await post(w.keys.narrowKey, { kind: SYSTEM_KIND })).status).toBe(403);
    expect((await post(w.keys.super, { kind: SYSTEM_KIND })).status).toBe(201);
  });

  it("returns the active twin of a unique kind with 200, and will not run a finished one beside it", async () => {
    const body = { kind: UNIQUE_KIND, accountId: w.a, payload: { account: w.a } };
    const first = await post(w.keys.accountAdmin, body);
    const again = await post(w.keys.accountAdmin, body);
    expect([first.status, again.status, again.body.id]).toEqual([201, 200, first.body.id]);
    const old = (await s.svc.engine.enqueue({ ...body, payload: { account: "other" } })).task.id;
    await s.svc.db.db
      .updateTable("tasks")
      .set({ state: "succeeded", unique_key: `${UNIQUE_KIND}:${w.a}` })
      .where("id", "=", old)
      .execute();
    const run = await s.request("POST", `/api/v1/tasks/${old}/run`, { key: w.keys.operator });
    expect([run.status, run.body.error.message]).toEqual([
      409,
      `task ${first.body.id} does the same and is not finished`,
    ]);
  });

  it("refuses bad kinds, payloads, schedules and times, naming the field, writing nothing", async () => {
    const base = { kind: LINES, accountId: w.a };
    const bad: [unknown, string][] = [
      [{ kind: "nope" }, "kind"],
      [{ kind: INTERNAL_KIND }, "kind"],
      [{ ...base, payload: { lines: 1000 } }, "payload.lines"],
      [{ ...base, payload: { unknown: 1 } }, "payload"],
      [{ ...base, expression: "every day" }, "expression"],
      [{ ...base, expression: "@daily", timezone: "Europe/Atlantis" }, "timezone"],
      [{ ...base, timezone: "UTC" }, "timezone"],
      [{ kind: SYSTEM_KIND, expression: "@daily" }, "expression"],
      [{ ...base, priority: -1 }, "body.priority"],
      [{ ...base, priority: 10 }, "body.priority"],
      [{ ...base, delaySeconds: -5 }, "body.delaySeconds"],
      [{ ...base, delaySeconds: 10 ** 9 }, "body.delaySeconds"],
      [{ ...base, runAt: new Date(Date.now() + 400 * 24 * HOUR).toISOString() }, "runAt"],
      [{ ...base, runAt: new Date(Date.now() - 48 * HOUR).toISOString() }, "runAt"],
      [{ ...base, accountId: "acc_nowhere" }, "accountId"],
      // the system's tasks belong to no account
      [{ kind: SYSTEM_KIND, accountId: w.a }, "accountId"],
    ];
    const before = await rowCounts(s);
    const got = [];
    for (const [body, field] of bad) {
      const res = await post(w.keys.super, body);
      got.push([field, res.status, res.body.error?.details?.[0]?.field]);
    }
    expect(got).toEqual(bad.map(([, field]) => [field, 400, field]));
    expect(await rowCounts(s)).toEqual(before);
  });

  it("lists with filters and cursor pages, in SQL, showing each actor only what it may read", async () => {
    const m = await w.mirrorOfA();
    const add = async (spec: Record<string, unknown>) =>
      (await s.svc.engine.enqueue({ kind: LINES, payload: {}, accountId: m, ...spec })).task.id;
    const plain = await add({});
    const off = await add({ enabled: false });
    const daily = await add({ expression: "@daily" });
    const onSite = await add({ target: { type: "site", id: "s1" } });
    const broken = await add({});
    await s.svc.db.db
      .updateTable("tasks")
      .set({ state: "failed" })
      .where("id", "=", broken)
      .execute();
    // newest first: by id, which orders by creation time to the millisecond
    const desc = (xs: string[]) => [...xs].sort().reverse();
    const all = desc([broken, onSite, daily, off, plain]);
    const list = async (query: string, key = w.keys.reader) => {
      const res = await s.request("GET", `/api/v1/tasks?account=${m}&${query}`, { key });
      expect(res.status).toBe(200);
      return res.body as { items: Task[]; nextCursor: string | null };
    };
    const ids = async (query: string, key?: string) =>
      (await list(query, key)).items.map((t) => t.id);

    const seen: string[] = [];
    let cursor = "";
    do {
      const page = await list(`limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor ?? "";
    } while (cursor);
    expect(seen).toEqual(all);
    expect(await ids("state=failed")).toEqual([broken]);
    expect(await ids("state=queued&enabled=false")).toEqual([off]);
    expect(await ids("enabled=true&state=queued")).toEqual(desc([onSite, daily, plain]));
    expect(await ids(`kind=${LINES}&target=site`)).toEqual([onSite]);
    expect(await ids("target=site:s1")).toEqual([onSite]);
    // a kind without its own sentence says its kind and target (by id, as no site s1 exists)
    const titled = await s.request("GET", "/api/v1/tasks?target=site:s1", { key: w.keys.super });
    expect(titled.body.items[0]).toMatchObject({ title: `${LINES} site s1`, targetName: null });
    expect(await ids("target=site:s2")).toEqual([]);
    expect(await ids(`kind=${SYSTEM_KIND}`)).toEqual([]);
    expect(await ids("", w.keys.noGrant)).toEqual([]);
    expect(await ids("", w.keys.otherAdmin)).toEqual([]);
    expect(await ids("", w.keys.super)).toEqual(all);

    // a grant on one resource shows the tasks acting on it, and only those
    const u = await s.createUser(`site-reader-${dialect}@example.com`);
    await s.svc.grants.set(s.cli, {
      principalType: "user",
      principalId: u.id,
      scopeType: "resource",
      scopeId: "site:s1",
      role: "read",
    });
    const siteKey = await s.apiKey(u.id);
    expect(await ids("", siteKey)).toEqual([onSite]);
    expect((await s.request("GET", `/api/v1/tasks/${onSite}`, { key: siteKey })).status).toBe(200);
    expect((await s.request("GET", `/api/v1/tasks/${plain}`, { key: siteKey })).status).toBe(404);
  });

  it("shows system tasks, and tasks without an account, to super users only", async () => {
    const sys = (await s.svc.engine.enqueue({ kind: SYSTEM_KIND, payload: {} })).task.id;
    const bare = (await s.svc.engine.enqueue({ kind: LINES, payload: {} })).task.id;
    const visible = async (key: string) => {
      const res = await s.request("GET", "/api/v1/tasks?limit=200", { key });
      const ids = (res.body.items as Task[]).map((t) => t.id);
      return [ids.includes(sys), ids.includes(bare)];
    };
    expect(await visible(w.keys.super)).toEqual([true, true]);
    for (const who of ["accountAdmin", "reader", "narrowKey"] as const) {
      expect([who, ...(await visible(w.keys[who]))]).toEqual([who, false, false]);
      for (const id of [sys, bare]) {
        const res = await s.request("GET", `/api/v1/tasks/${id}`, { key: w.keys[who] });
        expect([who, res.status]).toEqual([who, 404]);
      }
    }
    const cancel = await s.request("POST", `/api/v1/tasks/${sys}/cancel`, { key: w.keys.super });
    expect(cancel.body.state).toBe("cancelled");
  });

  it("cancels a queued task at once, fails what waits on it, and refuses a finished one", async () => {
    const first = (await s.svc.engine.enqueue({ kind: LINES, payload: {}, accountId: w.a })).task;
    const next = (
      await s.svc.engine.enqueue({
        kind: LINES,
        payload: {},
        accountId: w.a,
        dependsOn: [first.id],
      })
    ).task;
    const key = w.keys.operator;
    const res = await s.request("POST", `/api/v1/tasks/${first.id}/cancel`, { key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      state: "cancelled",
      lastOutcome: "cancelled",
      lastError: "cancelled by operator@example.com",
    });
    expect(res.body.finishedAt).not.toBeNull();
    const waiting = await s.request("GET", `/api/v1/tasks/${next.id}`, { key });
    expect(waiting.body.state).toBe("failed");
    expect(waiting.body.lastError).toContain(`prerequisite ${first.id}`);

    const again = await s.request("POST", `/api/v1/tasks/${first.id}/cancel`, { key });
    expect([again.status, again.body.error.code, again.body.error.details[0].field]).toEqual([
      409,
      "CONFLICT",
      "state",
    ]);
    expect(again.body.error.message).toContain("cancelled");
    expect(await audit(first.id)).toEqual([
      { action: "task.cancel", diff: { state: { from: "queued", to: "cancelled" } } },
    ]);
    const reader = await s.request("POST", `/api/v1/tasks/${next.id}/cancel`, {
      key: w.keys.reader,
    });
    expect(reader.status).toBe(403);
  });
});
