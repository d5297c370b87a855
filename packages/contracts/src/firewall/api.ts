// The firewall's HTTP API bodies and answers (GET/PUT /api/v1/nodes/{id}/firewall, confirm,
// unblock).
import { z } from "zod";
import { confirmSeconds, firewallCidr, firewallRules, firewallService } from "./rules.ts";

export const firewallPut = firewallRules.extend({
  /** seconds the node waits for the panel's confirmation before reverting (default 60) */
  confirmSeconds: confirmSeconds.default(60),
  /**
   * true (default): the panel confirms by itself once it reaches the agent again after the
   * apply; false: a person confirms (POST …/firewall/confirm) within confirmSeconds
   */
  autoConfirm: z.boolean({ error: "must be true or false" }).default(true),
});
export type FirewallPut = z.input<typeof firewallPut>;

export const firewallStatus = z.enum([
  /** no rules saved: Steward leaves the node's firewall alone */
  "none",
  /** the task runs: applying, or waiting for the confirmation */
  "applying",
  "pending",
  "applied",
  /** the node put the previous rules back (no confirmation in time, or a failure) */
  "reverted",
  "failed",
]);
export type FirewallStatus = z.infer<typeof firewallStatus>;

/** A saved rule as answered (checked when it was saved) */
export const firewallRuleView = z.object({
  action: z.enum(["allow", "deny"]),
  service: firewallService.optional(),
  ports: z.string().optional(),
  protocol: z.enum(["tcp", "udp"]),
  source: z.string().optional(),
});

export const firewallView = z.object({
  node: z.string(),
  rules: z.array(firewallRuleView),
  blocked: z.array(z.string()),
  sshRateLimit: z.number().nullable(),
  sshBans: z
    .object({ maxFailures: z.number(), findSeconds: z.number(), banSeconds: z.number() })
    .nullable(),
  confirmSeconds: z.number(),
  autoConfirm: z.boolean(),
  revision: z.number(),
  status: firewallStatus,
  /** the revision the node runs (confirmed) */
  appliedRevision: z.number().nullable(),
  /** while pending: when the node reverts unless confirmed (ISO time) */
  revertAt: z.string().nullable(),
  /** the last apply's outcome in words */
  message: z.string().nullable(),
  /** the address the node last saw the panel's requests come from */
  panelAddress: z.string().nullable(),
  /** the task applying the last saved revision */
  task: z.string().nullable(),
  updatedAt: z.string(),
});
export type FirewallView = z.infer<typeof firewallView>;

export const firewallUnblock = z.strictObject({ address: firewallCidr });
export type FirewallUnblock = z.infer<typeof firewallUnblock>;

export const firewallUnblocked = z.object({
  address: z.string(),
  /** it was in the saved blocked list (and left it) */
  wasBlocked: z.boolean(),
  task: z.string(),
});
