// The form of each channel kind: its fields as the API names them (docs/notifications.md,
// "Settings and secrets"), which are secrets (write-only: the API says only whether one is
// set), and how a field's text becomes its value. The API checks every value; its errors name
// `settings.<field>`, shown at the field.

export type ChannelKind =
  | "email"
  | "webhook"
  | "slack"
  | "discord"
  | "teams"
  | "telegram"
  | "ntfy"
  | "gotify"
  | "pushover"
  | "matrix";

export interface FieldSpec {
  name: string;
  label: string;
  hint?: string;
  /** text by default; a list is comma-separated, headers one "Name: value" per line */
  type?: "number" | "list" | "headers" | "select";
  options?: readonly string[];
  /** may be left empty (the API's default, or none) */
  optional?: boolean;
  /** write-only: never shown, kept when left empty on an edit */
  secret?: boolean;
}

const webhookUrl = (hint: string): FieldSpec => ({
  name: "webhookUrl",
  label: "Webhook URL",
  hint: `${hint} Its path is the credential: a secret.`,
  secret: true,
});

export const KINDS: Record<ChannelKind, { label: string; fields: FieldSpec[] }> = {
  email: {
    label: "Email (SMTP)",
    fields: [
      { name: "host", label: "SMTP server", hint: "Host name of the mail server." },
      { name: "port", label: "Port", type: "number", optional: true, hint: "587 if empty." },
      {
        name: "security",
        label: "Security",
        type: "select",
        options: ["starttls", "tls", "none"],
      },
      { name: "username", label: "User name", optional: true },
      { name: "password", label: "Password", optional: true, secret: true },
      { name: "from", label: "From", hint: "The sender's address." },
      { name: "to", label: "To", type: "list", hint: "Up to 20 addresses, comma-separated." },
    ],
  },
  webhook: {
    label: "Webhook",
    fields: [
      { name: "url", label: "URL", hint: "Steward POSTs the message as signed JSON here." },
      {
        name: "secret",
        label: "Signing secret",
        hint: "At least 16 characters: the key of X-Steward-Signature.",
        secret: true,
      },
      {
        name: "headers",
        label: "Headers",
        type: "headers",
        optional: true,
        secret: true,
        hint: "One “Name: value” per line (a token for the receiver).",
      },
    ],
  },
  slack: { label: "Slack", fields: [webhookUrl("An incoming webhook of a Slack app.")] },
  discord: {
    label: "Discord",
    fields: [
      webhookUrl("A channel's webhook (Server settings, Integrations)."),
      { name: "username", label: "Shown as", optional: true },
    ],
  },
  teams: { label: "Microsoft Teams", fields: [webhookUrl("A Workflows webhook of the channel.")] },
  telegram: {
    label: "Telegram",
    fields: [
      { name: "botToken", label: "Bot token", hint: "From @BotFather: 123456:ABC…", secret: true },
      { name: "chatId", label: "Chat", hint: "A chat id (a number) or a channel's @username." },
      {
        name: "apiUrl",
        label: "Bot API server",
        optional: true,
        hint: "https://api.telegram.org if empty.",
      },
    ],
  },
  ntfy: {
    label: "ntfy",
    fields: [
      { name: "serverUrl", label: "Server", optional: true, hint: "https://ntfy.sh if empty." },
      { name: "topic", label: "Topic" },
      { name: "token", label: "Access token", optional: true, secret: true },
    ],
  },
  gotify: {
    label: "Gotify",
    fields: [
      { name: "serverUrl", label: "Server" },
      { name: "appToken", label: "Application token", secret: true },
    ],
  },
  pushover: {
    label: "Pushover",
    fields: [
      { name: "userKey", label: "User or group key", secret: true },
      { name: "appToken", label: "Application token", secret: true },
      { name: "device", label: "Device", optional: true },
    ],
  },
  matrix: {
    label: "Matrix",
    fields: [
      { name: "homeserverUrl", label: "Homeserver" },
      { name: "accessToken", label: "Access token", secret: true },
      { name: "roomId", label: "Room id", hint: "Like !abc:example.org" },
    ],
  },
};

export const CHANNEL_KINDS = Object.keys(KINDS) as ChannelKind[];
export const isChannelKind = (value: unknown): value is ChannelKind =>
  typeof value === "string" && value in KINDS;

/** A field's text as the form shows it, from the settings the API answered. */
export function textOf(spec: FieldSpec, value: unknown): string {
  if (spec.secret || value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "object")
    return Object.entries(value)
      .map(([name, text]) => `${name}: ${String(text)}`)
      .join("\n");
  return String(value);
}

/** The form's texts as settings: empty optional fields and empty (kept) secrets left out. */
export function settingsOf(kind: ChannelKind, texts: Record<string, string>) {
  return { kind, ...valuesOf(KINDS[kind].fields, texts) };
}

/** Each field's text as its value (a number, a list, headers), empty optional ones left out. */
export function valuesOf(specs: readonly FieldSpec[], texts: Record<string, string>) {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const text = (texts[spec.name] ?? "").trim();
    if (text === "" && (spec.optional || spec.secret)) continue;
    if (spec.type === "number") out[spec.name] = Number(text);
    else if (spec.type === "list")
      out[spec.name] = text
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter(Boolean);
    else if (spec.type === "headers")
      out[spec.name] = Object.fromEntries(
        text
          .split("\n")
          .filter((line) => line.trim())
          .map((line) => {
            const at = line.indexOf(":");
            return at < 0
              ? [line.trim(), ""]
              : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
          }),
      );
    else out[spec.name] = text;
  }
  return out;
}
