// `logrotate`: Steward's own housekeeping. Rotates the log file this process writes (when
// STEWARD_LOG_FILE is set), then applies the retention settings to task logs, finished
// run-once tasks, audit events and domain events (monitor results: the monitor.rollup task). Installed as a daily task with the first super user.
import type { Logger } from "pino";
import { z } from "zod";
import type { Settings } from "../../config/schema.ts";
import type { Db } from "../../db/open.ts";
import type { LogFile } from "../../log.ts";
import { pruneAudit } from "../../modules/audit/repo.ts";
import { pruneEvents } from "../../modules/events/repo.ts";
import { pruneExpiredSessions } from "../../modules/users/repo.ts";
import type { HandlerDef } from "../types.ts";
import { pruneFinishedTasks, pruneTaskLogs } from "./prune.ts";
import { type RotateResult, rotateLogFile } from "./rotate-file.ts";

export interface LogrotateDeps {
  db: Db;
  settings: Pick<
    Settings,
    "logFile" | "logKeep" | "taskLogRetentionDays" | "auditRetentionDays" | "eventRetentionDays"
  >;
  log: Logger;
  /** the file this process's logger writes, or null when it writes to stdout */
  logFile: LogFile | null;
  now?: () => number;
}

const DAY = 86_400_000;
const payload = z.strictObject({});

export function logrotateTask(deps: LogrotateDeps): HandlerDef<typeof payload> {
  const { db, settings } = deps;
  return {
    kind: "logrotate",
    description:
      "rotates and compresses Steward's log file; prunes task logs, finished tasks, audit events and events past their retention, and expired sessions",
    payload,
    timeoutMs: 5 * 60_000,
    maxAttempts: 3,
    unique: () => "default",
    userCreatable: true,
    recurring: true,
    system: true,
    async run(ctx) {
      const now = deps.now?.() ?? Date.now();
      // a retry after a failed prune must not rotate the fresh file a second time
      const done = ctx.checkpoint.load<{ rotation: RotateResult | null }>();
      let rotation = done?.rotation ?? null;
      if (!done) {
        await ctx.progress(0, "rotating the log file");
        rotation = await rotate(ctx.signal);
        await ctx.checkpoint.save({ rotation });
      }
      ctx.log.info(describeRotation(rotation, settings.logFile));

      await ctx.progress(0.25, "pruning task logs");
      const taskLogCutoff = now - settings.taskLogRetentionDays * DAY;
      const taskLogs = await pruneTaskLogs(db.db, taskLogCutoff, ctx.signal);
      ctx.log.info(
        `deleted ${taskLogs} task log line(s) older than ${settings.taskLogRetentionDays} day(s)`,
      );

      await ctx.progress(0.5, "pruning finished tasks");
      const tasks = await pruneFinishedTasks(db.db, taskLogCutoff, ctx.signal);
      ctx.log.info(
        `deleted ${tasks} finished run-once task(s) older than ${settings.taskLogRetentionDays} day(s)`,
      );

      await ctx.progress(0.75, "pruning audit events");
      ctx.signal.throwIfAborted();
      const auditEvents = await pruneAudit(db.db, now - settings.auditRetentionDays * DAY);
      ctx.log.info(
        `deleted ${auditEvents} audit event(s) older than ${settings.auditRetentionDays} day(s)`,
      );

      ctx.signal.throwIfAborted();
      const events = await pruneEvents(db.db, now - settings.eventRetentionDays * DAY);
      ctx.log.info(`deleted ${events} event(s) older than ${settings.eventRetentionDays} day(s)`);

      const sessions = await pruneExpiredSessions(db, now);
      ctx.log.info(`deleted ${sessions} expired session(s)`);

      const result = { rotation, taskLogs, tasks, auditEvents, events, sessions };
      deps.log.info({ task: ctx.task.id, ...result }, "logrotate done");
      await ctx.progress(1, "done");
      return result;
    },
  };

  async function rotate(signal: AbortSignal): Promise<RotateResult | null> {
    if (!deps.logFile) return null;
    return rotateLogFile(deps.logFile.path, settings.logKeep, deps.logFile.reopen, signal);
  }
}

function describeRotation(rotation: RotateResult | null, configured: string | undefined) {
  if (!rotation)
    return configured
      ? `log file not rotated: this process does not write ${configured} (it logs to standard output)`
      : "log file not rotated: Steward logs to standard output (STEWARD_LOG_FILE is not set)";
  if (!rotation.rotated) return `log file not rotated: ${rotation.skipped}`;
  return `log file rotated; ${rotation.compressed} older file(s) compressed, ${rotation.removed} past the kept count deleted`;
}
