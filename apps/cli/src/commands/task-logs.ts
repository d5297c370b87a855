// `steward task logs`: a page of lines, or --follow: the lines so far, then new ones read
// from the database every 300 ms until the task ends.
import { setTimeout as sleep } from "node:timers/promises";
import { finalTaskStates, type TaskLog } from "@steward/contracts";
import { AppError, type Ctx, type Services } from "@steward/server/admin";
import { type Out, print } from "../io.ts";

const POLL_MS = 300;

const line = (l: TaskLog) => `${l.at}  ${l.level.toUpperCase().padEnd(5)}  ${l.message}\n`;

/** One page: JSON as is, or one line per log line for people. */
export function printLogs(out: Out, page: { items: TaskLog[]; nextCursor: string | null }) {
  if (out.json) return print(out, page);
  for (const l of page.items) process.stdout.write(line(l));
  if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
}

export async function followLogs(
  svc: Services,
  ctx: Ctx,
  id: string,
  out: Out,
  after: string | undefined,
) {
  const emit = (text: string, value: unknown) =>
    process.stdout.write(out.json ? `${JSON.stringify(value)}\n` : text);
  let last = after;
  let seen = false;
  for (;;) {
    // the state first: once it is final, every line is already written
    const task = await svc.tasks.get(ctx, id).catch((e) => {
      // a run-once task may delete itself on success
      if (e instanceof AppError && e.code === "NOT_FOUND" && seen) return null;
      throw e;
    });
    seen = true;
    for (let more = true; more && task; ) {
      const page = await svc.tasks.logs(ctx, id, { limit: 200, cursor: last });
      for (const l of page.items) emit(line(l), l);
      last = page.items.at(-1)?.id ?? last;
      more = page.nextCursor !== null;
    }
    if (!task || finalTaskStates.includes(task.state)) {
      const state = task?.state ?? "deleted";
      const why = task?.lastError && task.state !== "succeeded" ? `: ${task.lastError}` : "";
      emit(`task ${id} ${state}${why}\n`, { state, task });
      return;
    }
    await sleep(POLL_MS);
  }
}
