// GET /api/v1/tasks/{id}/events: log lines, progress and state changes arrive live and in
// order while the task runs. On PostgreSQL the worker runs in another engine with its own
// connections (as another process would), so what the stream hears came through NOTIFY.
import { dialects } from "@steward/testkit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/open.ts";
import { createServices, type Services } from "../../services.ts";
import { readSse, summary } from "../../testing/sse-client.ts";
import { LINES, registerTestKinds } from "../../testing/task-kinds.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

describe.each(dialects())("task events on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  let worker: Services | undefined;
  beforeAll(async () => {
    registerTestKinds(s.svc.engine.registry);
    if (dialect === "postgres") {
      worker = await createServices(
        s.svc.settings,
        openDatabase(s.svc.settings),
        pino({ level: "silent" }),
      );
      registerTestKinds(worker.engine.registry);
      worker.engine.startWorker();
    } else {
      s.svc.engine.startWorker();
    }
  });
  afterAll(async () => {
    await worker?.engine.stop();
    await worker?.db.close();
  });

  const events = (id: string, query = "", key = w.keys.reader) =>
    readSse(`${s.url}/api/v1/tasks/${id}/events${query}`, key);
  const create = async (payload: Record<string, unknown>, enabled = true) => {
    const res = await s.request("POST", "/api/v1/tasks", {
      key: w.keys.accountAdmin,
      body: { kind: LINES, accountId: w.a, payload, enabled },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const act = (id: string, verb: "run" | "cancel") =>
    s.request("POST", `/api/v1/tasks/${id}/${verb}`, { key: w.keys.operator });
  const until = (stream: { events: unknown[] }, text: string) =>
    expect
      .poll(() => summary(stream.events as never).includes(text), { timeout: 10_000 })
      .toBe(true);

  it("streams lines, progress and states live, in order, and ends with the task", async () => {
    const id = await create({ lines: 3, delayMs: 200 }, false);
    const stream = await events(id);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    await until(stream, "state queued");
    expect((await act(id, "run")).status).toBe(200);
    await stream.ended;
    expect(summary(stream.events)).toEqual([
      "state queued",
      "state running",
      "log line 1",
      "progress 0.33",
      "log line 2",
      "progress 0.67",
      "log line 3",
      "progress 1.00",
      "state succeeded",
    ]);
    const last = stream.events.at(-1);
    const finishedAt = Date.parse(last?.data.task.finishedAt);
    expect(last?.data.task).toMatchObject({
      state: "succeeded",
      progress: 1,
      result: { lines: 3 },
    });
    // live: every line and report was there while the task still ran
    for (const e of stream.events.filter((x) => x.event === "log" || x.event === "progress"))
      expect([summary([e])[0], e.at < finishedAt]).toEqual([summary([e])[0], true]);
    const lines = stream.events.filter((e) => e.event === "log");
    expect(lines.map((e) => e.id)).toEqual(lines.map((e) => e.data.id));
    expect(lines[0]?.data).toMatchObject({ level: "info", attempt: 1, message: "line 1" });

    // afterwards: the lines so far (after a given one), the final state, and the end
    const again = await events(id, `?after=${lines[1]?.id}`);
    await again.ended;
    expect(summary(again.events)).toEqual(["log line 3", "progress 1.00", "state succeeded"]);
  });

  it("tells a cancelled task is cancelling, then cancelled", async () => {
    const id = await create({ lines: 1, hold: true });
    const stream = await events(id);
    await until(stream, "progress 1.00"); // the handler now waits to be cancelled
    const res = await act(id, "cancel");
    expect(res.body).toMatchObject({ state: "running", cancelRequested: true });
    await stream.ended;
    const tail = summary(stream.events).slice(-2);
    expect(tail).toEqual(["state cancelling", "state cancelled"]);
    expect(stream.events.at(-1)?.data.task).toMatchObject({ lastOutcome: "cancelled" });
  });

  it("answers 404 to those who may not read the task, before any stream", async () => {
    const id = await create({});
    for (const who of ["noGrant", "otherAdmin"] as const) {
      const res = await s.request("GET", `/api/v1/tasks/${id}/events`, { key: w.keys[who] });
      expect([who, res.status, res.body.error.code]).toEqual([who, 404, "NOT_FOUND"]);
    }
  });
});
