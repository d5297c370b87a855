// Notification channels: the settings of each kind (validated, their secrets named so the API
// can seal them at rest and never return them), the message every sender takes (rendered by
// the templates) and what a send answers (recorded in the delivery log, secrets redacted).
import { z } from "zod";
import { parseUrlTarget } from "../net/target.ts";
import { email, noControl, port } from "../validators.ts";

// What a sender sends is the rendered message of ./messages.ts (`renderedMessage`).

/** A URL a channel sends to: http(s), no user info, the host as the outbound policy reads it. */
export const targetUrl = z
  .string()
  .max(2048, "must be at most 2048 characters")
  .superRefine((s, ctx) => {
    const t = parseUrlTarget(s);
    if (typeof t === "string") ctx.addIssue({ code: "custom", message: t });
  });

const line = (max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(noControl, "must not contain control characters or newlines");
const token = (pattern: RegExp, what: string) => z.string().max(512).regex(pattern, what);
const body = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/** Header names a webhook's custom headers may not set (the transport's and Steward's own). */
const RESERVED_HEADER =
  /^(host|content-length|content-type|connection|transfer-encoding|te|upgrade|x-steward-.*)$/i;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
/** Custom HTTP headers a user adds (webhooks, HTTP monitors): at most 20, none of ours. */
export const httpHeaders = z.record(z.string(), line(1024)).superRefine((h, ctx) => {
  const names = Object.keys(h);
  if (names.length > 20) ctx.addIssue({ code: "custom", message: "must have at most 20 headers" });
  for (const name of names) {
    const why = !HEADER_NAME.test(name)
      ? "must be an HTTP header name"
      : RESERVED_HEADER.test(name)
        ? "is set by Steward and cannot be changed"
        : null;
    if (why) ctx.addIssue({ code: "custom", path: [name], message: why });
  }
});

export const emailChannel = z.strictObject({
  kind: z.literal("email"),
  host: line(253),
  port: port.default(587),
  /** tls: TLS from the first byte (465); starttls: upgrade required (587); none: plain */
  security: z.enum(["starttls", "tls", "none"]).default("starttls"),
  username: line(254).optional(),
  password: body(512).optional(),
  from: email,
  to: z.array(email).min(1, "must list at least one address").max(20, "must list at most 20"),
});
export const webhookChannel = z.strictObject({
  kind: z.literal("webhook"),
  url: targetUrl,
  /** the HMAC-SHA256 key of X-Steward-Signature */
  secret: z.string().min(16, "must be at least 16 characters").max(256),
  headers: httpHeaders.default({}),
});
export const slackChannel = z.strictObject({ kind: z.literal("slack"), webhookUrl: targetUrl });
export const discordChannel = z.strictObject({
  kind: z.literal("discord"),
  webhookUrl: targetUrl,
  username: line(80).optional(),
});
export const teamsChannel = z.strictObject({ kind: z.literal("teams"), webhookUrl: targetUrl });
export const telegramChannel = z.strictObject({
  kind: z.literal("telegram"),
  botToken: token(/^[0-9]{1,20}:[A-Za-z0-9_-]{30,64}$/, "must be a bot token like 123456:ABC…"),
  chatId: token(
    /^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/,
    "must be a chat id (a number) or a channel's @username",
  ),
  /** a self-hosted Bot API server; the public one by default */
  apiUrl: targetUrl.default("https://api.telegram.org"),
});
export const ntfyChannel = z.strictObject({
  kind: z.literal("ntfy"),
  serverUrl: targetUrl.default("https://ntfy.sh"),
  topic: token(/^[-_A-Za-z0-9]{1,64}$/, "must be 1-64 letters, digits, - and _"),
  /** an access token (tk_…) for a protected topic */
  token: token(/^[A-Za-z0-9_-]{8,128}$/, "must be an access token").optional(),
});
export const gotifyChannel = z.strictObject({
  kind: z.literal("gotify"),
  serverUrl: targetUrl,
  appToken: token(/^[A-Za-z0-9._-]{8,128}$/, "must be an application token"),
});
export const pushoverChannel = z.strictObject({
  kind: z.literal("pushover"),
  userKey: token(/^[A-Za-z0-9]{30}$/, "must be a 30-character user or group key"),
  appToken: token(/^[A-Za-z0-9]{30}$/, "must be a 30-character application token"),
  device: token(/^[A-Za-z0-9_-]{1,25}$/, "must be a device name").optional(),
});
export const matrixChannel = z.strictObject({
  kind: z.literal("matrix"),
  homeserverUrl: targetUrl,
  accessToken: token(/^[\x21-\x7e]{8,512}$/, "must be an access token"),
  roomId: token(/^![^:\s]{1,255}:[^\s]{1,255}$/, "must be a room id like !abc:example.org"),
});

export const channelSettings = z.discriminatedUnion("kind", [
  emailChannel,
  webhookChannel,
  slackChannel,
  discordChannel,
  teamsChannel,
  telegramChannel,
  ntfyChannel,
  gotifyChannel,
  pushoverChannel,
  matrixChannel,
]);
export type ChannelSettings = z.output<typeof channelSettings>;
export type ChannelKind = ChannelSettings["kind"];
export type ChannelOf<K extends ChannelKind> = Extract<ChannelSettings, { kind: K }>;
export const channelKinds = channelSettings.options.map((o) => o.shape.kind.value);

/** The fields of each kind that are secrets: sealed at rest, never returned, redacted in logs. */
export const SECRET_FIELDS = {
  email: ["password"],
  webhook: ["secret", "headers"],
  slack: ["webhookUrl"],
  discord: ["webhookUrl"],
  teams: ["webhookUrl"],
  telegram: ["botToken"],
  ntfy: ["token"],
  gotify: ["appToken"],
  pushover: ["appToken", "userKey"],
  matrix: ["accessToken"],
} as const satisfies { [K in ChannelKind]: readonly (keyof ChannelOf<K>)[] };

/** What stands for a secret in answers; sent back unchanged, it keeps the stored value. */
export const REDACTED = "[redacted]";

const hide = (value: unknown) =>
  typeof value === "object" && value !== null
    ? Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]))
    : REDACTED;

/** The settings as the API returns them: every secret that is set replaced by REDACTED. */
export function redactSettings<S extends ChannelSettings>(settings: S): S {
  const out: Record<string, unknown> = { ...settings };
  for (const field of SECRET_FIELDS[settings.kind])
    if (out[field] !== undefined) out[field] = hide(out[field]);
  return out as S;
}

/** An update's settings with every secret sent back as REDACTED taken from the stored ones. */
export function keepSecrets<S extends ChannelSettings>(next: S, stored: ChannelSettings): S {
  if (next.kind !== stored.kind) return next;
  const out: Record<string, unknown> = { ...next };
  const before = stored as Record<string, unknown>;
  for (const field of SECRET_FIELDS[next.kind]) {
    const value = out[field];
    if (value === REDACTED) out[field] = before[field];
    else if (typeof value === "object" && value !== null) {
      const old = (before[field] ?? {}) as Record<string, string>;
      out[field] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, v === REDACTED ? (old[k] ?? v) : v]),
      );
    }
  }
  return out as S;
}

/** One send, as the delivery log shows it: secrets redacted, the answer truncated. */
export const sendResult = z.object({
  ok: z.boolean(),
  /** the provider's HTTP status or SMTP reply code; null when nothing answered */
  status: z.number().int().nullable(),
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
  }),
  response: z.string().nullable(),
  error: z.string().optional(),
});
export type SendResult = z.infer<typeof sendResult>;
