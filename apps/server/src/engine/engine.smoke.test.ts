import { dialects } from "@steward/testkit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "../db/open.ts";
import { openTestDb } from "../testing/test-db.ts";
import { createEngine, defaultEngineOptions, type Engine } from "./engine.ts";

describe.each(dialects())("task engine on %s", (dialect) => {
  let db: Db;
  let engine: Engine;
  const ran: string[] = [];
  beforeAll(async () => {
    db = await openTestDb(dialect);
    engine = createEngine(db, pino({ level: "silent" }), {
      ...defaultEngineOptions,
      pollMs: 50,
    });
    engine.registry.register({
      kind: "test.echo",
      description: "records its payload",
      payload: z.object({ word: z.string() }),
      timeoutMs: 5_000,
      maxAttempts: 1,
      async run(ctx) {
        ctx.log.info(`echo ${ctx.task.payload.word}`);
        ran.push(ctx.task.payload.word);
        return { said: ctx.task.payload.word };
      },
    });
    engine.startWorker();
    engine.startScheduler();
  });
  afterAll(async () => {
    await engine?.stop();
    await db?.close();
  });

  it("runs an enqueued task once and keeps it as a disabled record", async () => {
    const { task } = await engine.enqueue({ kind: "test.echo", payload: { word: "hello" } });
    await expect
      .poll(
        async () =>
          (
            await db.db
              .selectFrom("tasks")
              .select("state")
              .where("id", "=", task.id)
              .executeTakeFirst()
          )?.state,
      )
      .toBe("succeeded");
    const row = await db.db
      .selectFrom("tasks")
      .selectAll()
      .where("id", "=", task.id)
      .executeTakeFirstOrThrow();
    expect(row.enabled).toBe(0);
    expect(JSON.parse(row.result ?? "null")).toEqual({ said: "hello" });
    expect(ran).toEqual(["hello"]);
    const logs = await db.db
      .selectFrom("task_logs")
      .select("message")
      .where("task_id", "=", task.id)
      .execute();
    expect(logs.map((l) => l.message)).toEqual(["echo hello"]);
  });
});
