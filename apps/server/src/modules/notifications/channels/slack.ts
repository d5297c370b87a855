// Slack: an incoming webhook (https://api.slack.com/messaging/webhooks). POST JSON with `text`
// (the fallback shown in notifications) and Block Kit `blocks`; Slack answers 200 "ok", or
// 400/403/404/410 with a plain-text reason (invalid_payload, invalid_token, no_service...).
import type { ChannelOf, RenderedMessage, SendResult } from "@steward/contracts/notifications";
import { deliver, fit, json, type SendDeps } from "./http.ts";

export function send(
  settings: ChannelOf<"slack">,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const text = message.markdown ?? message.text;
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: fit(message.subject, 150) } },
    { type: "section", text: { type: "mrkdwn", text: fit(text, 3000) } },
  ];
  if (message.url)
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open" }, url: message.url }],
    });
  const body = json({ text: fit(`${message.subject}\n${message.text}`, 40_000), blocks });
  return deliver(
    { field: "webhookUrl", method: "POST", url: settings.webhookUrl, body },
    settings,
    deps,
  );
}
