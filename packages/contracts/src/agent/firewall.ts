// The firewall's operations (issue 19, docs/firewall.md). firewall.apply renders the rules into
// the agent's own nftables table (`table inet steward`), checks it with `nft -c`, applies it
// in one transaction and, unless it changed nothing, arms a revert timer on the agent: the
// previous table comes back by itself unless firewall.confirm arrives with the token in time
// (like iptables-apply). firewall.read reports the table; firewall.unblock takes an address
// out of the blocked set.
import { z } from "zod";
import { confirmSeconds, firewallCidr, firewallRules } from "../firewall/rules.ts";

export const firewallApplyInput = z.strictObject({
  rules: firewallRules,
  confirmSeconds,
  /** addresses the panel reaches the node from, besides the one of this request */
  panelAddresses: z.array(z.string().max(60)).max(10).default([]),
});
export type FirewallApplyInput = z.input<typeof firewallApplyInput>;

export const firewallPending = z.object({
  token: z.string(),
  /** ISO time the agent reverts at unless confirmed */
  revertAt: z.string(),
});

export const firewallApplyOutput = z.object({
  changed: z.boolean(),
  /** null when nothing changed (nothing to confirm) */
  pending: firewallPending.nullable(),
  /** the address this request came from, as the node sees it */
  peer: z.string().nullable(),
});
export type FirewallApplyOutput = z.infer<typeof firewallApplyOutput>;

export const firewallConfirmInput = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "must be a confirmation token"),
});
export const firewallConfirmOutput = z.object({
  /** false: no such pending apply (it was reverted already, or confirmed) */
  confirmed: z.boolean(),
  peer: z.string().nullable(),
});

export const firewallReadOutput = z.object({
  /** the node has Steward's table */
  active: z.boolean(),
  /** `nft list table inet steward` (stateless) */
  ruleset: z.string().nullable(),
  blocked: z.array(z.string()),
  /** addresses banned now for failed SSH logins */
  banned: z.array(z.string()),
  pending: firewallPending.nullable(),
  peer: z.string().nullable(),
});
export type FirewallReadOutput = z.infer<typeof firewallReadOutput>;

export const firewallUnblockInput = z.strictObject({ address: firewallCidr });
export const firewallUnblockOutput = z.object({
  /** it was in the blocked set */
  removed: z.boolean(),
  /** it was banned (failed SSH logins) */
  unbanned: z.boolean(),
});
