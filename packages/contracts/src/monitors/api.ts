// Monitors through the API (/api/v1/monitors): what a monitor is, what creating and changing
// one takes, its list's filters and its results' time range.
import { z } from "zod";
import { sortQuery } from "../pagination.ts";
import { id, isoTime, label } from "../validators.ts";
import {
  HEARTBEAT_LOCATIONS,
  monitorLocations,
  monitorQuorum,
  PANEL_LOCATION,
  quorumProblem,
} from "./locations.ts";
import { monitorKind, monitorSettings } from "./settings.ts";

export const MIN_INTERVAL_SECONDS = 20;
export const MAX_INTERVAL_SECONDS = 86_400;

/** pending: not checked yet; up; degraded (slow, a certificate expiring); down (after retries) */
export const monitorStates = ["pending", "up", "degraded", "down"] as const;
export const monitorState = z.enum(monitorStates);
export type MonitorState = z.infer<typeof monitorState>;

/** One check's outcome. */
export const checkOutcomes = ["up", "degraded", "down"] as const;
export const checkOutcome = z.enum(checkOutcomes);
export type CheckOutcome = z.infer<typeof checkOutcome>;

/** A time when the monitor's events are muted (checks go on, results are kept). */
export const maintenanceWindow = z
  .strictObject({ start: isoTime, end: isoTime })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), {
    message: "must end after it starts",
    path: ["end"],
  });
export type MaintenanceWindow = z.infer<typeof maintenanceWindow>;

const common = {
  name: label(100),
  intervalSeconds: z
    .number({ error: "must be a number" })
    .int("must be an integer")
    .min(
      MIN_INTERVAL_SECONDS,
      `must be between ${MIN_INTERVAL_SECONDS} and ${MAX_INTERVAL_SECONDS}`,
    )
    .max(
      MAX_INTERVAL_SECONDS,
      `must be between ${MIN_INTERVAL_SECONDS} and ${MAX_INTERVAL_SECONDS}`,
    ),
  /** each check's deadline; below the interval */
  timeoutSeconds: z.number().int("must be an integer").min(1).max(60, "must be at most 60"),
  /** failed checks in a row before the monitor is down (0: the first failure) */
  retries: z.number().int("must be an integer").min(0).max(10, "must be at most 10"),
  paused: z.boolean(),
  maintenance: z.array(maintenanceWindow).max(20, "must list at most 20 windows"),
  /** where it is checked from: "panel" and node ids */
  locations: monitorLocations,
  /** locations that must see it down; null or absent: a majority of them */
  quorum: monitorQuorum.nullable(),
};

const quorumFits = (m: { locations?: string[]; quorum?: number | null }) =>
  m.locations === undefined || quorumProblem(m.locations, m.quorum) === null;
const quorumIssue = {
  message: "must be at most the number of locations",
  path: ["quorum"],
};
const heartbeatAtPanel = (m: { locations?: string[]; settings?: { kind: string } }) =>
  m.settings?.kind !== "heartbeat" ||
  m.locations === undefined ||
  m.locations.every((l) => l === PANEL_LOCATION);
const heartbeatIssue = { message: HEARTBEAT_LOCATIONS, path: ["locations"] };

const timeoutBelowInterval = (m: { intervalSeconds?: number; timeoutSeconds?: number }) =>
  m.intervalSeconds === undefined ||
  m.timeoutSeconds === undefined ||
  m.timeoutSeconds < m.intervalSeconds;
const timeoutIssue = { message: "must be shorter than the interval", path: ["timeoutSeconds"] };

export const monitorCreate = z
  .strictObject({
    name: common.name,
    /** the account the monitor belongs to; the installation's default account if omitted */
    account: id.optional(),
    /** an installation monitor (super users only): no account, may reach private addresses */
    installation: z.boolean().default(false),
    settings: monitorSettings,
    intervalSeconds: common.intervalSeconds.default(60),
    timeoutSeconds: common.timeoutSeconds.default(10),
    retries: common.retries.default(0),
    paused: common.paused.default(false),
    maintenance: common.maintenance.default([]),
    locations: common.locations.default([PANEL_LOCATION]),
    quorum: common.quorum.optional(),
  })
  .refine(timeoutBelowInterval, timeoutIssue)
  .refine(quorumFits, quorumIssue)
  .refine(heartbeatAtPanel, heartbeatIssue)
  .refine((m) => !(m.installation && m.account), {
    message: "an installation monitor belongs to no account",
    path: ["account"],
  });
export type MonitorCreate = z.output<typeof monitorCreate>;

/** Any of a monitor's fields; `settings` whole, of the same kind. */
export const monitorUpdate = z
  .strictObject({ ...common, settings: monitorSettings })
  .partial()
  .refine(timeoutBelowInterval, timeoutIssue)
  .refine(quorumFits, quorumIssue)
  .refine(heartbeatAtPanel, heartbeatIssue);
export type MonitorUpdate = z.output<typeof monitorUpdate>;

export const monitor = z.object({
  id: z.string(),
  /** null for an installation monitor */
  accountId: z.string().nullable(),
  name: z.string(),
  kind: monitorKind,
  /** what it checks, in one line */
  target: z.string(),
  settings: monitorSettings,
  intervalSeconds: z.number(),
  timeoutSeconds: z.number(),
  retries: z.number(),
  paused: z.boolean(),
  maintenance: z.array(maintenanceWindow),
  /** where it is checked from: "panel" and node ids */
  locations: z.array(z.string()),
  /** locations that must see it down (a majority of them unless set) */
  quorum: z.number(),
  state: monitorState,
  stateSince: z.string(),
  /** its state changed too often lately: its events are held until it is stable */
  flapping: z.boolean(),
  consecutiveFailures: z.number(),
  nextCheckAt: z.string().nullable(),
  lastCheckAt: z.string().nullable(),
  lastResponseMs: z.number().nullable(),
  lastMessage: z.string().nullable(),
  /** a site's default monitor: the site (removed with it); null for any other */
  siteId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Monitor = z.infer<typeof monitor>;

/** A create's answer: a heartbeat monitor's token is said once, here (stored hashed). */
export const monitorCreated = monitor.extend({
  /** POST or GET /api/v1/heartbeat/<token> reports in; null for other kinds */
  heartbeatToken: z.string().nullable(),
});

export const monitorSorts = ["name", "createdAt"] as const;
export const monitorListQuery = z.strictObject({
  state: monitorState.optional(),
  kind: monitorKind.optional(),
  account: id.optional(),
  /** monitors whose name contains this (any case) */
  q: z.string().max(100, "must be at most 100 characters").optional(),
  sort: sortQuery(monitorSorts),
});

/** One of a monitor's latest checks, for a sparkline: when, whether it was not down, how long. */
export const recentCheck = z.object({ at: z.string(), ok: z.boolean(), ms: z.number().nullable() });
export type RecentCheck = z.infer<typeof recentCheck>;

/** How many of its latest checks a monitor of the list brings. */
export const RECENT_CHECKS = 30;

/** A monitor in the list: with its latest checks, oldest first. */
export const monitorListItem = monitor.extend({ recent: z.array(recentCheck) });
export type MonitorListItem = z.infer<typeof monitorListItem>;

export const monitorResult = z.object({
  at: z.string(),
  /** where it was checked from: "panel" or a node's id */
  location: z.string(),
  outcome: checkOutcome,
  responseMs: z.number().nullable(),
  message: z.string().nullable(),
});
export type MonitorResult = z.infer<typeof monitorResult>;

/** The results' range: newest first, from `to` (excluded; now if absent) back to `from`. */
export const monitorResultsQuery = z.strictObject({
  from: isoTime.optional(),
  to: isoTime.optional(),
  /** one location's results only: "panel" or a node's id */
  location: id.optional(),
});

/** A heartbeat's token: 43 characters of base64url (32 random bytes). */
export const heartbeatParams = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a heartbeat token"),
});
