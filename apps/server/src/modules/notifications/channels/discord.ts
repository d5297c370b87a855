// Discord: execute a webhook (https://discord.com/developers/docs/resources/webhook#execute-webhook).
// POST JSON with `content` (up to 2000 characters) or `embeds` (title up to 256, description up
// to 4096); `?wait=true` makes Discord answer 200 with the message instead of 204. Errors are
// JSON `{ "message", "code" }` (401 Invalid Webhook Token, 404 Unknown Webhook, 429 rate limit).
import type { ChannelOf, RenderedMessage, SendResult } from "@steward/contracts/notifications";
import { deliver, fit, json, type SendDeps } from "./http.ts";

const COLOR = { info: 0x3b82f6, warning: 0xf59e0b, critical: 0xdc2626 } as const;

export function send(
  settings: ChannelOf<"discord">,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const url = new URL(settings.webhookUrl);
  url.searchParams.set("wait", "true");
  const embed = {
    title: fit(message.subject, 256),
    description: fit(message.markdown ?? message.text, 4096),
    color: COLOR[message.severity],
    ...(message.url ? { url: message.url } : {}),
  };
  const body = json({
    ...(settings.username ? { username: settings.username } : {}),
    embeds: [embed],
    allowed_mentions: { parse: [] },
  });
  return deliver(
    { field: "webhookUrl", method: "POST", url: url.toString(), body },
    settings,
    deps,
  );
}
