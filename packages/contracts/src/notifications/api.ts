// The HTTP API of notification channels and message templates (issue 12): what the server
// parses and answers, the CLI sends and the console's forms validate with.
import { z } from "zod";
import { id, label } from "../validators.ts";
import {
  type ChannelKind,
  channelKinds,
  channelSettings,
  REDACTED,
  SECRET_FIELDS,
  sendResult,
} from "./channels.ts";
import { eventType } from "./events.ts";
import { messageFormat, messageTemplate, templateFormat } from "./messages.ts";

export const channelKind = z.enum(channelKinds as [ChannelKind, ...ChannelKind[]]);

/** A channel's name: unique among its account's (or the installation's) channels. */
export const channelName = label(100);

/** A channel as the API answers it: settings with each secret that is set as REDACTED. */
export const notificationChannel = z.object({
  id: z.string(),
  /** null: installation-wide (super users manage it; it may reach private addresses) */
  accountId: z.string().nullable(),
  name: z.string(),
  kind: channelKind,
  enabled: z.boolean(),
  /** the settings without their secrets (`redactSettings`) */
  settings: z.record(z.string(), z.unknown()),
  /** the secret fields that are set (their values are never answered) */
  secretsSet: z.array(z.string()),
  /** the last "send test": when, whether it was delivered, the provider's status and error */
  lastTest: z
    .object({
      at: z.string(),
      ok: z.boolean(),
      status: z.number().int().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NotificationChannel = z.infer<typeof notificationChannel>;

export const channelCreate = z.strictObject({
  name: channelName,
  /** the account the channel belongs to; absent: installation-wide (super users only) */
  account: id.optional(),
  enabled: z.boolean().default(true),
  settings: channelSettings,
});
export type ChannelCreate = z.input<typeof channelCreate>;

/**
 * A kind's settings as an update sends them: each secret may be absent or REDACTED (the stored
 * value is kept, `keepSecrets`), or a new value checked like any other field.
 */
const keepable = channelSettings.options.map((kind) => {
  const secrets: readonly string[] = SECRET_FIELDS[kind.shape.kind.value];
  const shape = kind.shape as Record<string, z.ZodType>;
  return kind.extend(
    Object.fromEntries(
      secrets.map((field) => {
        // no default: an absent secret is kept, not replaced by its default
        const own = shape[field] as z.ZodType;
        const plain = own instanceof z.ZodDefault ? (own.unwrap() as z.ZodType) : own;
        return [field, z.union([z.literal(REDACTED), plain]).optional()];
      }),
    ),
  );
});
export const channelSettingsUpdate = z.discriminatedUnion(
  "kind",
  keepable as unknown as [(typeof keepable)[number], ...(typeof keepable)[number][]],
);

export const channelUpdate = z.strictObject({
  name: channelName.optional(),
  enabled: z.boolean().optional(),
  settings: channelSettingsUpdate.optional(),
});
export type ChannelUpdate = z.input<typeof channelUpdate>;

export const channelListQuery = z.strictObject({
  kind: channelKind.optional(),
  account: id.optional(),
  /** channels whose name starts with this */
  q: z.string().max(100, "must be at most 100 characters").optional(),
});

/** The answer of "send test": what was sent (secrets redacted) and what the provider said. */
export const channelTestResult = sendResult;

/** A template of an event type in a template format: the stored override or the default. */
export const messageTemplateItem = z.object({
  type: eventType,
  format: templateFormat,
  /** a stored override; false: the default template */
  customised: z.boolean(),
  subject: z.string(),
  body: z.string(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type MessageTemplateItem = z.infer<typeof messageTemplateItem>;

export const messageTemplateList = z.object({ items: z.array(messageTemplateItem) });
export const messageTemplateParams = z.strictObject({ type: eventType, format: templateFormat });
export const messageTemplatePut = messageTemplate.strict();

/** A preview: the given source, else the effective template, rendered with the type's sample. */
export const messageTemplatePreview = z.strictObject({
  type: eventType,
  format: messageFormat,
  subject: messageTemplate.shape.subject.optional(),
  body: messageTemplate.shape.body.optional(),
});
export const renderedTemplate = z.object({ subject: z.string(), body: z.string() });
