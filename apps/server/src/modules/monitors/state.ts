// The state machine of a monitor (docs/monitors.md): one check's result moves its state, and
// only a change records an event. Down comes after `retries` failed checks in a row; degraded
// at once (slow, a certificate expiring); a maintenance window mutes the events; N changes
// within M minutes make one `monitor.flapping`, then nothing until the monitor has been stable
// for M minutes, when its state is said once more. Pure: the scheduler writes what it returns.
import type { CheckOutcome, MaintenanceWindow, MonitorState } from "@steward/contracts/monitors";
import type { EventOf, NotificationEvent } from "@steward/contracts/notifications";
import type { ProbeResult } from "@steward/probes";
import { newId } from "../../lib/ids.ts";

export interface FlapRule {
  /** this many state changes… */
  changes: number;
  /** …within this many minutes make the monitor flapping */
  windowMinutes: number;
}
export const DEFAULT_FLAP: FlapRule = { changes: 5, windowMinutes: 10 };

/** What the machine reads of a monitor and writes back. */
export interface MonitorStatus {
  state: MonitorState;
  stateSince: number;
  consecutiveFailures: number;
  flapping: boolean;
  /** the times of its recent changes (within the flap window) */
  transitions: number[];
}

export interface MonitorFacts {
  id: string;
  accountId: string | null;
  name: string;
  /** what it checks, in one line (settings' monitorTarget) */
  target: string;
  retries: number;
  maintenance: MaintenanceWindow[];
  /** the console's page of the monitor, or null when the panel's public URL is unknown */
  url: string | null;
}

export const inMaintenance = (windows: readonly MaintenanceWindow[], at: number) =>
  windows.some((w) => Date.parse(w.start) <= at && at < Date.parse(w.end));

/** The state a result leads to: down only after the retries; a failure before that changes nothing. */
function nextState(
  status: MonitorStatus,
  outcome: CheckOutcome,
  failures: number,
  retries: number,
) {
  if (outcome !== "down") return outcome;
  return failures > retries ? "down" : status.state;
}

export function applyResult(
  monitor: MonitorFacts,
  status: MonitorStatus,
  result: ProbeResult,
  at: number,
  flap: FlapRule = DEFAULT_FLAP,
  /** what each location saw (a monitor checked from several: quorum.ts), for the events */
  locations: string | null = null,
): { status: MonitorStatus; events: NotificationEvent[] } {
  const failures = result.outcome === "down" ? status.consecutiveFailures + 1 : 0;
  const state = nextState(status, result.outcome, failures, monitor.retries);
  const changed = state !== status.state;
  const muted = inMaintenance(monitor.maintenance, at);
  const windowMs = flap.windowMinutes * 60_000;
  const recent = status.transitions.filter((t) => at - t < windowMs);
  // the first check of a new monitor is not a change anyone is told about, unless it fails
  const counted = changed && !muted && !(status.state === "pending" && state === "up");
  const transitions = counted ? [...recent, at] : recent;
  const next: MonitorStatus = {
    state,
    stateSince: changed ? at : status.stateSince,
    consecutiveFailures: failures,
    flapping: status.flapping,
    transitions,
  };
  const event = makeEvent(monitor, at, locations);
  if (muted) return { status: next, events: [] };
  if (!status.flapping && transitions.length >= flap.changes)
    return {
      status: { ...next, flapping: true },
      events: [
        event("monitor.flapping", {
          transitions: transitions.length,
          windowMinutes: flap.windowMinutes,
        }),
      ],
    };
  if (status.flapping) {
    const stable = (transitions.at(-1) ?? 0) <= at - windowMs;
    if (!stable) return { status: next, events: [] };
    // stable again: said once, whatever the state it settled in
    return {
      status: { ...next, flapping: false },
      events: [stateEvent(event, state, status, result, at)],
    };
  }
  if (!counted) return { status: next, events: [] };
  return { status: next, events: [stateEvent(event, state, status, result, at)] };
}

type Make = ReturnType<typeof makeEvent>;

function stateEvent(
  event: Make,
  state: MonitorState,
  before: MonitorStatus,
  result: ProbeResult,
  at: number,
): NotificationEvent {
  const message = (result.message ?? "").slice(0, 4000);
  if (state === "down")
    return event("monitor.down", { error: message, responseTimeMs: result.responseMs });
  if (state === "degraded")
    return event("monitor.degraded", { reason: message, responseTimeMs: result.responseMs });
  const wasDown = before.state === "down" || before.state === "degraded";
  return event("monitor.up", {
    downtimeSeconds: wasDown ? Math.round((at - before.stateSince) / 1000) : null,
  });
}

const SEVERITY = {
  "monitor.down": "critical",
  "monitor.up": "info",
  "monitor.degraded": "warning",
  "monitor.flapping": "warning",
} as const;
const SAID = {
  "monitor.down": "is down",
  "monitor.up": "is up",
  "monitor.degraded": "is degraded",
  "monitor.flapping": "is flapping",
} as const;

type MonitorEventType = keyof typeof SEVERITY;
type OwnFields<T extends MonitorEventType> = Omit<
  EventOf<T>["fields"],
  "monitorId" | "monitorName" | "monitorTarget" | "locations"
>;

function makeEvent(monitor: MonitorFacts, at: number, locations: string | null) {
  const said = locations === null ? "" : ` (${locations})`;
  return <T extends MonitorEventType>(type: T, fields: OwnFields<T>): NotificationEvent =>
    ({
      id: newId("evt", at),
      type,
      severity: SEVERITY[type],
      accountId: monitor.accountId,
      target: { type: "monitor", id: monitor.id, name: monitor.name },
      summary:
        `monitor ${monitor.name} ${SAID[type]}${type === "monitor.flapping" ? "" : said}`.slice(
          0,
          500,
        ),
      occurredAt: new Date(at).toISOString(),
      url: monitor.url,
      fields: {
        monitorId: monitor.id,
        monitorName: monitor.name,
        monitorTarget: monitor.target.slice(0, 255),
        ...(type === "monitor.flapping" ? {} : { locations }),
        ...fields,
      },
    }) as unknown as NotificationEvent;
}
