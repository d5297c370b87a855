// Writing checks' outcomes, the one way for the scheduler's batches and a "check now": each
// result inserted (one statement), each monitor's new status (one statement per 500), and the events of its state
// changes (recordMonitorEvents), in the caller's transaction.
import { PANEL_LOCATION } from "@steward/contracts/monitors";
import type { NotificationEvent } from "@steward/contracts/notifications";
import type { ProbeResult } from "@steward/probes";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { recordMonitorEvents } from "./events.ts";
import * as repo from "./repo.ts";
import type { MonitorStatus } from "./state.ts";

export interface CheckDone {
  id: string;
  at: number;
  result: ProbeResult;
  /** each location's result (a monitor checked from several); absent: `result` is the panel's */
  located?: readonly { location: string; result: ProbeResult | null }[];
  /** the status the state machine made of it */
  status: MonitorStatus;
  /** when the next scheduled check is due */
  due: number;
  events: readonly NotificationEvent[];
}

const message = (result: ProbeResult) => result.message?.slice(0, 1000) ?? null;

/** `owner`: the scheduler whose lease the status write needs; null for a check now. */
export async function saveChecks(
  trx: Kysely<Database>,
  owner: string | null,
  done: readonly CheckDone[],
  record: typeof recordMonitorEvents,
) {
  await repo.insertResults(
    trx,
    done.flatMap((d) =>
      (d.located ?? [{ location: PANEL_LOCATION, result: d.result }]).flatMap(
        ({ location, result }) =>
          result
            ? [
                {
                  monitor_id: d.id,
                  at: d.at,
                  location,
                  outcome: result.outcome,
                  response_ms: result.responseMs,
                  message: message(result),
                },
              ]
            : [],
      ),
    ),
  );
  await repo.writeStatuses(
    trx,
    owner,
    done.map((d) => ({
      id: d.id,
      set: {
        state: d.status.state,
        state_since: d.status.stateSince,
        consecutive_failures: d.status.consecutiveFailures,
        flapping: d.status.flapping ? 1 : 0,
        transitions: JSON.stringify(d.status.transitions),
        next_due: d.due,
        last_check_at: d.at,
        last_response_ms: d.result.responseMs,
        last_message: message(d.result),
      },
    })),
  );
  await record(
    trx,
    done.flatMap((d) => d.events),
  );
}
