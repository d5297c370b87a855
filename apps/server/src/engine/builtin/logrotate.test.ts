// The logrotate task run by a real worker: it rotates the file a real logger writes, and
// applies the retention settings to task logs, finished run-once tasks, audit events and
// events.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { dialects } from "@steward/testkit";
import type { Logger } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import { createLogger, logFileOf } from "../../log.ts";
import { EVENT_ID } from "../../modules/events/repo.ts";
import { engineSuite, kind } from "../../testing/engine.ts";
import { type LogrotateDeps, logrotateTask } from "./logrotate.ts";

const DAY = 86_400_000;
const settings = {
  logFile: "",
  logKeep: 3,
  taskLogRetentionDays: 30,
  auditRetentionDays: 365,
  eventRetentionDays: 90,
};

describe.each(dialects())("logrotate task on %s", (dialect) => {
  const suite = engineSuite(dialect);
  let dir: string;
  let file: string;
  let log: Logger;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "steward-logrotate-"));
    file = join(dir, "logs", "steward.log");
    log = createLogger({ logLevel: "info", logFile: file });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const deps = (extra: Partial<LogrotateDeps> = {}): LogrotateDeps => ({
    db: suite.db,
    settings: { ...settings, logFile: file },
    log,
    logFile: logFileOf(log),
    ...extra,
  });
  const read = (name: string) => readFileSync(join(dir, "logs", name), "utf8");
  const settles = (name: string, text: string) =>
    expect.poll(() => existsSync(join(dir, "logs", name)) && read(name)).toContain(text);

  async function runOnce(d: LogrotateDeps) {
    const engine = suite.start([logrotateTask(d)]);
    const { task } = await engine.enqueue({ kind: "logrotate", payload: {} });
    const row = await suite.waitFor(task.id, "succeeded");
    await engine.stop();
    return JSON.parse(row.result ?? "null");
  }

  it("rotates the log file it writes; new lines go to a fresh file", async () => {
    expect(logFileOf(log)?.path).toBe(file);
    log.info("first day");
    await settles("steward.log", "first day");
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const result = await runOnce(deps());
    expect(result.rotation).toMatchObject({ rotated: true });
    await settles("steward.log", "logrotate done");
    log.info("second day");
    await settles("steward.log", "second day");
    expect(read("steward.log")).not.toContain("first day");
    expect(read("steward.log.1")).toContain("first day");
    expect(read("steward.log.1")).not.toContain("second day");

    await runOnce(deps());
    log.info("third day");
    await settles("steward.log", "third day");
    const older = gunzipSync(readFileSync(join(dir, "logs", "steward.log.2.gz"))).toString();
    expect(older).toContain("first day");
    expect(older).not.toContain("second day");
    expect(read("steward.log.1")).toContain("second day");
    expect(read("steward.log")).not.toContain("second day");
  });

  it("says so in the task log when Steward logs to standard output", async () => {
    const engine = suite.start([logrotateTask(deps({ logFile: null }))]);
    const { task } = await engine.enqueue({ kind: "logrotate", payload: {} });
    const row = await suite.waitFor(task.id, "succeeded");
    expect(JSON.parse(row.result ?? "null").rotation).toBeNull();
    const lines = await suite.db.db
      .selectFrom("task_logs")
      .select("message")
      .where("task_id", "=", task.id)
      .execute();
    expect(lines.map((l) => l.message).sort()).toEqual([
      "deleted 0 audit event(s) older than 365 day(s)",
      "deleted 0 event(s) older than 90 day(s)",
      "deleted 0 expired session(s)",
      "deleted 0 finished run-once task(s) older than 30 day(s)",
      "deleted 0 task log line(s) older than 30 day(s)",
      expect.stringMatching(/^log file not rotated: this process does not write /),
    ]);
    expect(row.progress).toBe(1);
  });

  it("prunes old task logs, finished run-once tasks, audit events and events, nothing recent, no recurring task", async () => {
    const now = Date.now();
    const old = now - 40 * DAY;
    const k = suite.db.db;
    const engine = suite.start([kind("test.record", async () => null, { recurring: true })], {
      worker: false,
    });
    const task = async (fields: Record<string, unknown>) => {
      const { task: t } = await engine.enqueue({
        kind: "test.record",
        payload: {},
        enabled: false,
      });
      await k.updateTable("tasks").set(fields).where("id", "=", t.id).execute();
      return t.id;
    };
    const finishedOld = { state: "succeeded", finished_at: old, updated_at: old };
    const ids = {
      oldSucceeded: await task(finishedOld),
      oldFailed: await task({ ...finishedOld, state: "failed" }),
      oldCancelled: await task({ state: "cancelled", finished_at: null, updated_at: old }),
      recentSucceeded: await task({ ...finishedOld, finished_at: now - DAY }),
      oldQueued: await task({ created_at: old, updated_at: old }),
      recurringOld: await task({ ...finishedOld, state: "queued", expression: "@daily" }),
      recurringCancelled: await task({ ...finishedOld, state: "cancelled", expression: "@daily" }),
    };
    const logLine = (task_id: string, at: number) => ({
      id: newId("log", at),
      task_id,
      at,
      attempt: 1,
      level: "info" as const,
      message: "x",
    });
    await k
      .insertInto("task_logs")
      .values([
        logLine(ids.recurringOld, old),
        logLine(ids.recurringOld, now - DAY),
        logLine(ids.oldQueued, old),
        logLine(ids.oldSucceeded, old), // goes with its task
        logLine(ids.recentSucceeded, now),
      ])
      .execute();
    const audit = (at: number) => ({
      id: newId("audi", at),
      at,
      actor_type: "system" as const,
      action: "test.event",
      outcome: "success" as const,
    });
    await k
      .insertInto("audit_events")
      .values([audit(now - 400 * DAY), audit(now - 366 * DAY), audit(now - 300 * DAY), audit(now)])
      .execute();

    // events: ids begin with their time (modules/events/repo.ts prunes in id order)
    const event = (at: number) => ({
      id: newId(EVENT_ID, at),
      type: "notification.test",
      severity: "info" as const,
      outcome: "none" as const,
      summary: "old",
      fields: "{}",
      created_at: at,
    });
    await k
      .insertInto("events")
      .values([event(now - 200 * DAY), event(now - 91 * DAY), event(now - 89 * DAY), event(now)])
      .execute();

    // sessions: one expired a day ago (its cookie never came back), one still valid
    const date = (ms: number) =>
      dialect === "postgres" ? new Date(ms) : new Date(ms).toISOString();
    const bool = (b: boolean) => (dialect === "postgres" ? b : Number(b));
    await k
      .insertInto("auth_user")
      .values({
        id: "u_sessions",
        name: "Sessions",
        email: "sessions@example.com",
        emailVerified: bool(true),
        createdAt: date(old),
        updatedAt: date(old),
        disabled: bool(false),
      } as never)
      .execute();
    const session = (id: string, expiresAt: number) => ({
      id,
      token: `token-${id}`,
      userId: "u_sessions",
      expiresAt: date(expiresAt),
      createdAt: date(old),
      updatedAt: date(old),
    });
    await k
      .insertInto("auth_session")
      .values([session("s_expired", now - DAY), session("s_valid", now + DAY)] as never)
      .execute();

    const result = await runOnce(deps({ logFile: null }));
    expect(result).toMatchObject({
      taskLogs: 3,
      tasks: 3,
      auditEvents: 2,
      events: 2,
      sessions: 1,
    });
    const kept = await k.selectFrom("events").select("created_at").execute();
    expect(kept.map((e) => Number(e.created_at)).sort()).toEqual([now - 89 * DAY, now].sort());
    const sessions = await k.selectFrom("auth_session").select("id").execute();
    expect(sessions.map((r) => r.id)).toEqual(["s_valid"]);

    const left = await k
      .selectFrom("tasks")
      .select("id")
      .where("kind", "=", "test.record")
      .execute();
    expect(new Set(left.map((t) => t.id))).toEqual(
      new Set([ids.recentSucceeded, ids.oldQueued, ids.recurringOld, ids.recurringCancelled]),
    );
    const logs = await k
      .selectFrom("task_logs")
      .select(["task_id", "at"])
      .where("task_id", "in", Object.values(ids))
      .execute();
    expect(logs.map((l) => [l.task_id, Number(l.at)]).sort()).toEqual(
      [
        [ids.recurringOld, now - DAY],
        [ids.recentSucceeded, now],
      ].sort(),
    );
    const events = await k
      .selectFrom("audit_events")
      .select("at")
      .where("action", "=", "test.event")
      .execute();
    expect(events.map((e) => Number(e.at)).sort()).toEqual([now - 300 * DAY, now].sort());
  });
});
