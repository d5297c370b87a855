// monitor.check: the panel's scheduler sends each node its due checks of a tick in one batch;
// the agent runs them with the shared probes (@steward/probes) under the node's outbound
// policy plus what only the agent knows (its own endpoints and addresses, its resolver), and
// answers every result in one batch (docs/agent.md, docs/monitors.md "Locations and quorum").
import { z } from "zod";
import { checkOutcome } from "../monitors/api.ts";
import { monitorSettings } from "../monitors/settings.ts";
import { outboundPolicy } from "../net/policy.ts";

/** Checks in one batch at most (a node's share of a tick). */
export const MAX_CHECK_BATCH = 2000;

export const monitorCheckSpec = z.strictObject({
  /** the monitor's id, to match the result */
  id: z.string().min(1).max(64),
  /** what to check (no heartbeat: a heartbeat is reported to the panel) */
  settings: monitorSettings.refine((s) => s.kind !== "heartbeat", "a heartbeat is not checked"),
  timeoutMs: z.number().int().min(1).max(60_000),
  /** an installation monitor's check may reach private ranges; an account's may not */
  allowPrivate: z.boolean(),
});
export type MonitorCheckSpec = z.infer<typeof monitorCheckSpec>;

export const monitorCheckInput = z.strictObject({
  /** the node's outbound policy (the installation's lists and the node's own) */
  outbound: outboundPolicy,
  /** the node's id as the panel knows it: the checks' location (HTTP: X-Steward-Location) */
  location: z.string().min(1).max(64),
  checks: z.array(monitorCheckSpec).min(1).max(MAX_CHECK_BATCH),
});
export type MonitorCheckInput = z.infer<typeof monitorCheckInput>;

export const monitorCheckResult = z.object({
  id: z.string(),
  outcome: checkOutcome,
  responseMs: z.number().nullable(),
  message: z.string().nullable(),
});

export const monitorCheckOutput = z.object({ results: z.array(monitorCheckResult) });
export type MonitorCheckOutput = z.infer<typeof monitorCheckOutput>;
