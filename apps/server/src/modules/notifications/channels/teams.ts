// Microsoft Teams: a Workflows (Power Automate) webhook or a legacy incoming webhook, given an
// Adaptive Card in a message attachment
// (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook).
// Workflows answer 202 Accepted, incoming webhooks 200 "1"; errors are 4xx with a reason.
import type { ChannelOf, RenderedMessage, SendResult } from "@steward/contracts/notifications";
import { deliver, fit, json, type SendDeps } from "./http.ts";

const COLOR = { info: "Accent", warning: "Warning", critical: "Attention" } as const;

export function send(
  settings: ChannelOf<"teams">,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const card = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body: [
      {
        type: "TextBlock",
        text: fit(message.subject, 250),
        weight: "Bolder",
        size: "Medium",
        color: COLOR[message.severity],
        wrap: true,
      },
      { type: "TextBlock", text: fit(message.markdown ?? message.text, 20_000), wrap: true },
    ],
    ...(message.url
      ? { actions: [{ type: "Action.OpenUrl", title: "Open", url: message.url }] }
      : {}),
  };
  const body = json({
    type: "message",
    attachments: [
      { contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card },
    ],
  });
  return deliver(
    { field: "webhookUrl", method: "POST", url: settings.webhookUrl, body },
    settings,
    deps,
  );
}
