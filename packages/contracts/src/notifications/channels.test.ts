// Channel settings: each kind's fields validated with messages naming the field, secrets
// hidden in answers and kept when an update sends the placeholder back.
import { describe, expect, it } from "vitest";
import {
  type ChannelSettings,
  channelKinds,
  channelSettings,
  keepSecrets,
  REDACTED,
  redactSettings,
  SECRET_FIELDS,
} from "./channels.ts";
import { renderedMessage } from "./messages.ts";

const issues = (input: unknown) =>
  (channelSettings.safeParse(input).error?.issues ?? []).map((i) => [i.path.join("."), i.message]);

describe("settings", () => {
  it("knows ten kinds, each with its secrets named", () => {
    expect(channelKinds).toHaveLength(10);
    expect(Object.keys(SECRET_FIELDS).sort()).toEqual([...channelKinds].sort());
  });

  it.each([
    [
      { kind: "slack", webhookUrl: "hooks.slack.com/x" },
      "webhookUrl",
      "must be an http:// or https:// URL",
    ],
    [{ kind: "telegram", botToken: "abc", chatId: "1" }, "botToken", "must be a bot token"],
    [
      { kind: "telegram", botToken: `1:${"a".repeat(35)}`, chatId: "me" },
      "chatId",
      "must be a chat id",
    ],
    [{ kind: "ntfy", topic: "a/b" }, "topic", "must be 1-64 letters"],
    [{ kind: "pushover", userKey: "short", appToken: "a".repeat(30) }, "userKey", "30-character"],
    [
      {
        kind: "matrix",
        homeserverUrl: "https://m.org",
        accessToken: "syt_abcdefgh",
        roomId: "#ops",
      },
      "roomId",
      "room id",
    ],
    [
      { kind: "webhook", url: "https://x.org/h", secret: "short" },
      "secret",
      "at least 16 characters",
    ],
    [
      {
        kind: "webhook",
        url: "https://x.org/h",
        secret: "s".repeat(16),
        headers: { "X-Steward-Signature": "x" },
      },
      "headers.X-Steward-Signature",
      "set by Steward",
    ],
    [
      {
        kind: "webhook",
        url: "https://x.org/h",
        secret: "s".repeat(16),
        headers: { "X-A": "a\r\nb" },
      },
      "headers.X-A",
      "control characters",
    ],
    [
      { kind: "email", host: "smtp.example.com", from: "panel", to: ["a@example.com"] },
      "from",
      "valid email",
    ],
    [
      { kind: "email", host: "smtp.example.com", from: "p@example.com", to: [] },
      "to",
      "at least one",
    ],
    [{ kind: "sms" }, "kind", ""],
  ])("refuses %o naming %s", (input, field, message) => {
    const found = issues(input);
    expect(found.map(([path]) => path)).toContain(field);
    expect(found.find(([path]) => path === field)?.[1]).toContain(message);
  });

  it("fills defaults: the public ntfy and Telegram APIs, SMTP submission with STARTTLS", () => {
    expect(channelSettings.parse({ kind: "ntfy", topic: "alerts" })).toMatchObject({
      serverUrl: "https://ntfy.sh",
    });
    expect(
      channelSettings.parse({
        kind: "email",
        host: "smtp.example.com",
        from: "p@example.com",
        to: ["A@Example.com"],
      }),
    ).toMatchObject({ port: 587, security: "starttls", to: ["a@example.com"] });
  });
});

describe("secrets", () => {
  const stored = channelSettings.parse({
    kind: "webhook",
    url: "https://x.org/h",
    secret: "s".repeat(16),
    headers: { Authorization: "Bearer abc" },
  });

  it("are replaced in answers, and only secrets are", () => {
    expect(redactSettings(stored)).toEqual({
      kind: "webhook",
      url: "https://x.org/h",
      secret: REDACTED,
      headers: { Authorization: REDACTED },
    });
    const ntfy = channelSettings.parse({ kind: "ntfy", topic: "alerts" });
    expect(redactSettings(ntfy)).toEqual(ntfy);
  });

  it("sent back as the placeholder keep their stored value; new values replace them", () => {
    const next = { ...redactSettings(stored), url: "https://y.org/h" } as ChannelSettings;
    expect(keepSecrets(next, stored)).toEqual({ ...stored, url: "https://y.org/h" });
    const changed = { ...next, secret: "t".repeat(16) } as ChannelSettings;
    expect(keepSecrets(changed, stored)).toMatchObject({ secret: "t".repeat(16) });
  });
});

describe("message", () => {
  it("needs a one-line subject, a text and a severity", () => {
    const bad = renderedMessage.safeParse({
      subject: "a\nb",
      text: "x",
      markdown: "x",
      html: "x",
      severity: "loud",
    });
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["subject", "severity"]);
  });
});
