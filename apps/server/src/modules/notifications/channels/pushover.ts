// Pushover: the message API (https://pushover.net/api). POST a form to
// https://api.pushover.net/1/messages.json with `token`, `user`, `message` (up to 1024
// characters), `title` (250), `url` (512), `priority` (-2..2) and `device`. Pushover answers
// `{ "status": 1, "request" }`, or 4xx `{ "status": 0, "errors": [...] }`.
import type { ChannelOf, RenderedMessage, SendResult } from "@steward/contracts/notifications";
import { deliver, fit, type SendDeps } from "./http.ts";

const API = "https://api.pushover.net";
const PRIORITY = { info: "-1", warning: "0", critical: "1" } as const;

export function send(
  settings: ChannelOf<"pushover">,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const form = new URLSearchParams({
    token: settings.appToken,
    user: settings.userKey,
    title: fit(message.subject, 250),
    message: fit(message.text, 1024),
    priority: PRIORITY[message.severity],
  });
  if (settings.device) form.set("device", settings.device);
  if (message.url && message.url.length <= 512) form.set("url", message.url);
  return deliver(
    {
      field: "appToken",
      method: "POST",
      url: `${deps.apiBase ?? API}/1/messages.json`,
      contentType: "application/x-www-form-urlencoded",
      body: form.toString(),
      refuse: (answer) => (/"status"\s*:\s*1\b/.test(answer.body) ? null : "status is not 1"),
    },
    settings,
    deps,
  );
}
