// ntfy: publish as JSON (https://docs.ntfy.sh/publish/#publish-as-json). POST to the server's
// root URL with `topic`, `message`, `title`, `priority` (1-5), `tags`, `click`, `markdown`;
// an access token goes in `Authorization: Bearer` (https://docs.ntfy.sh/publish/#access-tokens).
// ntfy answers 200 with the message, or JSON `{ "code", "http", "error", "link" }`.
import type { ChannelOf, RenderedMessage, SendResult } from "@steward/contracts/notifications";
import { deliver, fit, json, type SendDeps } from "./http.ts";

const PRIORITY = { info: 3, warning: 4, critical: 5 } as const;
const TAG = { info: "information_source", warning: "warning", critical: "rotating_light" } as const;

export function send(
  settings: ChannelOf<"ntfy">,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const body = json({
    topic: settings.topic,
    title: fit(message.subject, 250),
    message: fit(message.markdown ?? message.text, 4096),
    markdown: message.markdown !== undefined,
    priority: PRIORITY[message.severity],
    tags: [TAG[message.severity]],
    ...(message.url ? { click: message.url } : {}),
  });
  const headers: Record<string, string> = settings.token
    ? { authorization: `Bearer ${settings.token}` }
    : {};
  return deliver(
    { field: "serverUrl", method: "POST", url: settings.serverUrl, headers, body },
    settings,
    deps,
  );
}
