// A cron job's heartbeat monitor (docs/hosting.md#scheduled-runs-reported-back): a monitor of
// the job's account, made through the monitors service (its policy, its audit) when the job
// asks for one, whose token is kept sealed on the job (the node's cron-exec pings with it after
// each run that exits 0). Its interval is the longest gap between the schedule's next runs,
// so a job that stops running (cron, the node, the command failing) turns it down; a job
// that runs less often than daily is refused (a monitor waits at most a day and its grace).
import type { Ctx } from "../../access/types.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import { nextRun } from "../../engine/schedule.ts";
import { AppError, invalid } from "../../lib/errors.ts";
import type { MonitorsService } from "../monitors/service.ts";
import type * as repo from "./repo.ts";

const DAY = 86_400;

/** The monitor's interval and grace for a schedule, or a 400 naming `heartbeat`. */
export function heartbeatTiming(schedule: string, from = Date.now()) {
  let gap = 0;
  let at = nextRun(schedule, null, from);
  // the runs of the next two weeks or 48 runs: a weekday-only job has its weekend gap
  for (let i = 0; i < 48 && at - from < 14 * DAY * 1000; i++) {
    const next = nextRun(schedule, null, at);
    gap = Math.max(gap, (next - at) / 1000);
    at = next;
  }
  if (gap > DAY)
    throw invalid(
      "heartbeat",
      "the schedule leaves more than a day between runs: a heartbeat monitor waits at most a day",
    );
  return { intervalSeconds: Math.max(60, gap), graceSeconds: Math.min(DAY, 300 + gap / 10) };
}

export interface HeartbeatDeps {
  secrets: Secrets;
  monitors: () => MonitorsService;
}

/** Makes the job's monitor: its id and its token sealed, for the job's row. */
export async function addHeartbeat(
  d: HeartbeatDeps,
  ctx: Ctx,
  row: Pick<repo.CronJobRow, "id" | "account_id" | "schedule">,
) {
  const t = heartbeatTiming(row.schedule);
  const m = await d.monitors().create(ctx, {
    name: `cron job ${row.id}`,
    account: row.account_id,
    installation: false,
    settings: { kind: "heartbeat", graceSeconds: Math.round(t.graceSeconds) },
    intervalSeconds: Math.round(t.intervalSeconds),
    timeoutSeconds: 10,
    retries: 0,
    paused: false,
    maintenance: [],
    locations: ["panel"],
  });
  if (!m.heartbeatToken) throw new Error("the heartbeat monitor has no token");
  return { heartbeat_monitor_id: m.id, heartbeat_token: d.secrets.seal(m.heartbeatToken) };
}

/** The job's monitor follows a new schedule. */
export async function retimeHeartbeat(
  d: HeartbeatDeps,
  ctx: Ctx,
  monitorId: string,
  schedule: string,
) {
  const t = heartbeatTiming(schedule);
  await d.monitors().update(ctx, monitorId, {
    intervalSeconds: Math.round(t.intervalSeconds),
    settings: { kind: "heartbeat", graceSeconds: Math.round(t.graceSeconds) },
  });
}

/** Removes the job's monitor (gone already: nothing to do); the row's fields to set. */
export async function dropHeartbeat(d: HeartbeatDeps, ctx: Ctx, monitorId: string) {
  try {
    await d.monitors().remove(ctx, monitorId);
  } catch (e) {
    if (!(e instanceof AppError && e.code === "NOT_FOUND")) throw e;
  }
  return { heartbeat_monitor_id: null, heartbeat_token: null };
}
