// The first super user brings the default tasks: one daily logrotate, whether it comes from
// POST /api/v1/setup or from `steward user create --super` (users.create) on a fresh install.
import { dialects } from "@steward/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUsersService } from "../../modules/users/service.ts";
import { PASSWORD, startTestServer, type TestServer } from "../../testing/harness.ts";
import { addMissingDefaultTasks, defaultTasks, installDefaultTasks } from "./install.ts";

describe.each(dialects())("default tasks at first setup on %s", (dialect) => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer(dialect);
  });
  afterEach(() => s?.close());

  const logrotates = () =>
    s.svc.db.db.selectFrom("tasks").selectAll().where("kind", "=", "logrotate").execute();

  async function expectOneDaily() {
    const rows = await logrotates();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      state: "queued",
      enabled: 1,
      expression: "@daily",
      timezone: "UTC",
      unique_key: "logrotate:default",
      max_attempts: 3,
    });
    const next = new Date(Number(rows[0]?.run_at));
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect([next.getUTCHours(), next.getUTCMinutes(), next.getUTCSeconds()]).toEqual([0, 0, 0]);
    return rows[0];
  }

  it("POST /api/v1/setup installs exactly one daily logrotate task", async () => {
    expect(await logrotates()).toEqual([]);
    const token = await s.svc.setup.issueToken();
    const res = await s.request("POST", "/api/v1/setup", {
      body: { token, email: "first@example.com", password: PASSWORD },
    });
    expect(res.status).toBe(201);
    const task = await expectOneDaily();

    // more super users, and installing again, change nothing
    await s.createUser("second@example.com", { super: true });
    const again = await s.svc.engine.enqueue({
      kind: "logrotate",
      payload: {},
      expression: "@daily",
      timezone: "UTC",
    });
    expect(again).toMatchObject({ created: false, task: { id: task?.id } });
    await installDefaultTasks(s.svc.engine);
    expect((await expectOneDaily())?.id).toBe(task?.id);
  });

  it("the CLI's users.create --super on an empty database installs it once", async () => {
    const user = await s.svc.users.create(s.cli, {
      email: "admin@example.com",
      password: PASSWORD,
      super: true,
    });
    expect(user.super).toBe(true);
    const task = await expectOneDaily();
    await s.svc.users.create(s.cli, {
      email: "other@example.com",
      password: PASSWORD,
      super: true,
    });
    expect((await expectOneDaily())?.id).toBe(task?.id);
  });

  it("waits for the first super user: a plain user installs nothing", async () => {
    await s.createUser("plain@example.com");
    expect(await logrotates()).toEqual([]);
    await s.createUser("boss@example.com", { super: true });
    await expectOneDaily();
  });

  it("creates the user and the task in one transaction", async () => {
    const users = createUsersService({
      db: s.svc.db,
      hashPassword: async (p) => `hash:${p}`,
      async onFirstSuper(trx) {
        await installDefaultTasks(s.svc.engine, trx);
        expect(await trx.selectFrom("tasks").select("id").execute()).toHaveLength(
          defaultTasks.length,
        );
        throw new Error("the disk is full");
      },
    });
    const input = { email: "boss@example.com", password: PASSWORD, super: true };
    await expect(users.create(s.cli, input)).rejects.toThrow("the disk is full");
    expect(await s.svc.users.count()).toBe(0);
    expect(await logrotates()).toEqual([]);
  });

  it("is not reinstalled by a later super user once an admin removed it", async () => {
    await s.createUser("boss@example.com", { super: true });
    await s.svc.db.db.deleteFrom("tasks").where("kind", "=", "logrotate").execute();
    await s.createUser("boss2@example.com", { super: true });
    expect(await logrotates()).toEqual([]);
  });

  it("an installation made by an older release gets the default tasks added since, at start", async () => {
    const k = s.svc.db.db;
    // before any super user: nothing
    expect(await addMissingDefaultTasks(s.svc.engine, k)).toEqual([]);
    expect(await k.selectFrom("tasks").select("id").execute()).toEqual([]);
    await s.createUser("boss@example.com", { super: true });
    // as an older release left it: two of today's defaults missing, one a super user disabled
    await k.deleteFrom("tasks").where("kind", "in", ["mail.usage", "cms.upgrade-scan"]).execute();
    await k.updateTable("tasks").set({ enabled: 0 }).where("kind", "=", "monitor.rollup").execute();
    expect(await addMissingDefaultTasks(s.svc.engine, k)).toEqual([
      "mail.usage",
      "cms.upgrade-scan",
    ]);
    const kinds = (await k.selectFrom("tasks").select("kind").execute()).map((t) => t.kind);
    expect(kinds.sort()).toEqual(defaultTasks.map((t) => t.kind).sort());
    expect(
      (
        await k.selectFrom("tasks").select("enabled").where("kind", "=", "monitor.rollup").execute()
      )[0],
    ).toEqual({ enabled: 0 });
    expect(await addMissingDefaultTasks(s.svc.engine, k)).toEqual([]);
  });
});
