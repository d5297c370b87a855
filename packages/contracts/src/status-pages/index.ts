// Status pages (issue 12, docs/monitors.md "Status pages"): an account's public page of some of
// its monitors under public names, with incident notes; what the API takes and answers, and
// the public page's JSON.
import { z } from "zod";
import { monitorState } from "../monitors/api.ts";
import { id, isoTime, label, noControl, slug } from "../validators.ts";

/** Paths of the panel a slug must not shadow under /status/. */
const RESERVED = new Set(["api", "assets", "static", "status"]);

/** A page's public name in /status/<slug>: a slug, not a reserved word, unique. */
export const statusSlug = slug.refine((s) => !RESERVED.has(s), "is reserved");

/** Plain text over several lines: no control characters but newlines and tabs. */
export const multilineText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(
      (s) => noControl(s.replace(/[\n\t]/g, " ").replace(/\r/g, "")),
      "must not contain control characters other than newlines and tabs",
    );

export const statusPageMonitor = z.strictObject({
  monitor: id,
  /** what the public sees; the monitor's own name when absent */
  name: label(100).optional(),
});

const fields = {
  title: label(100),
  description: multilineText(2000),
  monitors: z.array(statusPageMonitor).max(50, "must be at most 50 monitors"),
};

export const statusPageCreate = z.strictObject({
  /** the account (the default account when absent) */
  account: id.optional(),
  slug: statusSlug,
  title: fields.title,
  description: fields.description.default(""),
  monitors: fields.monitors.default([]),
});
export type StatusPageCreate = z.output<typeof statusPageCreate>;

export const statusPageUpdate = z.strictObject({
  slug: statusSlug.optional(),
  title: fields.title.optional(),
  description: fields.description.optional(),
  /** replaces the list whole */
  monitors: fields.monitors.optional(),
});
export type StatusPageUpdate = z.output<typeof statusPageUpdate>;

export const statusPage = z.object({
  id: z.string(),
  accountId: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  monitors: z.array(z.object({ monitorId: z.string(), name: z.string() })),
  /** the public page's path */
  publicPath: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StatusPage = z.infer<typeof statusPage>;

export const statusPageListQuery = z.strictObject({ account: id.optional() });

export const incidentSeverities = ["minor", "major", "critical", "maintenance"] as const;
export const incidentSeverity = z.enum(incidentSeverities);

export const incidentCreate = z.strictObject({
  title: label(200),
  body: multilineText(10_000).default(""),
  severity: incidentSeverity.default("minor"),
  /** now when absent */
  startedAt: isoTime.optional(),
  resolvedAt: isoTime.nullable().optional(),
});
export type IncidentCreate = z.output<typeof incidentCreate>;

export const incidentUpdate = z.strictObject({
  title: label(200).optional(),
  body: multilineText(10_000).optional(),
  severity: incidentSeverity.optional(),
  startedAt: isoTime.optional(),
  /** null: open again */
  resolvedAt: isoTime.nullable().optional(),
});
export type IncidentUpdate = z.output<typeof incidentUpdate>;

export const incident = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  severity: incidentSeverity,
  startedAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type Incident = z.infer<typeof incident>;

export const incidentParams = z.strictObject({ id, incident: id });

/** The public page's JSON (/status/<slug>.json): names, states, 90 days of bars, incidents. */
export const publicStatus = z.object({
  title: z.string(),
  description: z.string(),
  monitors: z.array(
    z.object({
      name: z.string(),
      state: z.union([monitorState, z.literal("paused")]),
      /** 90 days, oldest first: the day (ISO) and its uptime in percent (null: no checks) */
      days: z.array(z.object({ day: z.string(), uptime: z.number().nullable() })),
      uptime90d: z.number().nullable(),
    }),
  ),
  incidents: z.array(incident.omit({ id: true })),
  generatedAt: z.string(),
});
export type PublicStatus = z.infer<typeof publicStatus>;
