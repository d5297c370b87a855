// Gotify: create a message (https://gotify.net/api-docs, POST /message) with the application
// token in `X-Gotify-Key`; `extras` say the text is Markdown and where a click leads
// (https://gotify.net/docs/msgextras). Gotify answers 200 with the message, or JSON
// `{ "error", "errorCode", "errorDescription" }`.
import type { ChannelOf, RenderedMessage, SendResult } from "@steward/contracts/notifications";
import { deliver, join, json, type SendDeps } from "./http.ts";

const PRIORITY = { info: 4, warning: 6, critical: 8 } as const;

export function send(
  settings: ChannelOf<"gotify">,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const extras: Record<string, unknown> = {
    "client::display": { contentType: message.markdown ? "text/markdown" : "text/plain" },
  };
  if (message.url) extras["client::notification"] = { click: { url: message.url } };
  const body = json({
    title: message.subject,
    message: message.markdown ?? message.text,
    priority: PRIORITY[message.severity],
    extras,
  });
  return deliver(
    {
      field: "serverUrl",
      method: "POST",
      url: join(settings.serverUrl, "message"),
      headers: { "x-gotify-key": settings.appToken },
      body,
    },
    settings,
    deps,
  );
}
