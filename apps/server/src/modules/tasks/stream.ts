// The live view of one task over SSE: the log lines written so far, then new lines, progress
// and state changes as the engine's bus announces them (NOTIFY on PostgreSQL, so a worker in
// another process is heard too). A slow poll catches up on anything the bus missed. The
// stream ends once the task reaches a final state.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { TaskBus, TaskEvent } from "../../engine/events.ts";
import type { TaskRow } from "../../engine/types.ts";
import type { Sse } from "../../http/sse.ts";
import { findTask, logsAfter, toLog, toTask } from "./repo.ts";
import { FINAL } from "./rules.ts";

export const HEARTBEAT_MS = 15_000;
const POLL_MS = 2_000;
const BATCH = 200;

export function streamTask(
  deps: { db: Kysely<Database>; bus: TaskBus },
  sse: Sse,
  taskId: string,
  after?: string,
) {
  const { db, bus } = deps;
  let lastLog = after;
  let state = "";
  let progress = "";
  // steps run one after another so that what is sent keeps the order things happened in
  let steps: Promise<unknown> = Promise.resolve();
  const step = (fn: () => Promise<void>) => {
    steps = steps.then(() => (sse.closed ? undefined : fn())).catch(() => sse.close());
  };

  async function sendLogs() {
    for (;;) {
      const rows = await logsAfter(db, taskId, lastLog, BATCH);
      for (const r of rows) {
        sse.send("log", toLog(r), r.id);
        lastLog = r.id;
      }
      if (rows.length < BATCH || sse.closed) return;
    }
  }

  function sendState(next: string, row: TaskRow | undefined) {
    state = next;
    sse.send("state", { state: next, task: row ? toTask(row) : null });
    if ((FINAL as string[]).includes(next) || next === "deleted") sse.close();
  }

  function sendProgress(value: number | null, message: string | null) {
    // PostgreSQL keeps progress as a 4-byte float: compare what a reader would see
    const key = JSON.stringify([Math.round((value ?? 0) * 10_000), message]);
    if (value === null || key === progress) return;
    progress = key;
    sse.send("progress", { progress: value, message });
  }

  /** Lines and progress come from a running task: say it runs if the start was not heard. */
  async function running() {
    if (state === "queued") sendState("running", await findTask(db, taskId));
  }

  /** Catches up from the database: new lines, progress, state. */
  async function sync() {
    const row = await findTask(db, taskId);
    await sendLogs();
    if (!row) return sendState("deleted", undefined);
    sendProgress(row.progress === null ? null : Number(row.progress), row.progress_message);
    const announced = state === "cancelling" && row.state === "running";
    if (row.state !== state && !announced) sendState(row.state, row);
  }

  const onEvent = (e: TaskEvent) =>
    step(async () => {
      if (e.type === "log") {
        await running();
        await sendLogs();
      } else if (e.type === "progress") {
        await running();
        await sendLogs();
        sendProgress(e.progress, e.message);
      } else if (e.state !== state) {
        await sendLogs();
        sendState(e.state, await findTask(db, taskId));
      }
    });

  // subscribe before reading, so nothing happens between the read and the subscription
  const off = bus.onEvent(taskId, onEvent);
  const poll = setInterval(() => step(sync), POLL_MS);
  sse.onClose(() => {
    off();
    clearInterval(poll);
  });
  step(async () => {
    await bus.ready(); // on PostgreSQL: what a worker elsewhere announces from now on is heard
    await sync();
  });
}
