// The HTTP API of notification rules and deliveries (issue 12): a rule as answered, created and
// changed; the delivery log of a channel and one delivery; the installation's emergency
// contact. What the server parses and answers, the CLI sends and the console validates with.
import { z } from "zod";
import { id, isoTime, label } from "../validators.ts";
import { sendResult } from "./channels.ts";
import { ruleSettings } from "./rules.ts";

/** A rule's name: unique among its account's (or the installation's) rules. */
export const ruleName = label(100);

const channelIds = z
  .array(id)
  .min(1, "must name at least one channel")
  .max(20, "must name at most 20 channels")
  .refine((ids) => new Set(ids).size === ids.length, "must not name a channel twice");

export const notificationRule = z.object({
  id: z.string(),
  /** null: installation-wide (super users manage it; it sees every account's events) */
  accountId: z.string().nullable(),
  name: z.string(),
  enabled: z.boolean(),
  settings: ruleSettings,
  channels: z.array(z.object({ id: z.string(), name: z.string() })),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NotificationRule = z.infer<typeof notificationRule>;

export const ruleCreate = z.strictObject({
  name: ruleName,
  /** the account the rule belongs to; absent: installation-wide (super users only) */
  account: id.optional(),
  enabled: z.boolean().default(true),
  settings: ruleSettings,
  /** channels of the rule's account (an installation rule: installation channels) */
  channels: channelIds,
});
export type RuleCreate = z.input<typeof ruleCreate>;

export const ruleUpdate = z.strictObject({
  name: ruleName.optional(),
  enabled: z.boolean().optional(),
  settings: ruleSettings.optional(),
  channels: channelIds.optional(),
});
export type RuleUpdate = z.input<typeof ruleUpdate>;

export const ruleListQuery = z.strictObject({ account: id.optional() });

export const deliveryStates = ["pending", "sending", "sent", "failed", "dropped"] as const;
export const deliveryState = z.enum(deliveryStates);

/** One message to one channel, as the delivery log shows it (secrets redacted). */
export const notificationDelivery = z.object({
  id: z.string(),
  /** null: sent to the emergency contact (no rule took a critical event) */
  ruleId: z.string().nullable(),
  channelId: z.string(),
  accountId: z.string().nullable(),
  /** the first event; a digest lists `eventCount` of them */
  eventId: z.string(),
  eventType: z.string(),
  eventCount: z.number().int(),
  groupKey: z.string().nullable(),
  flapping: z.object({ changes: z.number().int(), windowMinutes: z.number().int() }).nullable(),
  state: deliveryState,
  attempts: z.number().int(),
  dueAt: z.string(),
  sentAt: z.string().nullable(),
  status: z.number().int().nullable(),
  request: sendResult.shape.request.nullable(),
  response: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type NotificationDelivery = z.infer<typeof notificationDelivery>;

export const deliveryListQuery = z.strictObject({
  state: deliveryState.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});

/** The installation's notification settings (super users). */
export const notificationSettings = z.strictObject({
  /** the channel a critical event no rule takes goes to; null: none */
  emergencyChannel: id.nullable(),
});
export type NotificationSettings = z.infer<typeof notificationSettings>;
