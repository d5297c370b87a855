// Telegram: the Bot API's sendMessage (https://core.telegram.org/bots/api#sendmessage).
// POST JSON to {apiUrl}/bot<token>/sendMessage with `chat_id` and `text` (up to 4096
// characters, sent as plain text: no parse_mode, so nothing in it is markup). Telegram answers
// `{ "ok": true, "result": … }`, or `{ "ok": false, "error_code", "description" }`.
import type { ChannelOf, RenderedMessage, SendResult } from "@steward/contracts/notifications";
import { deliver, fit, join, json, type SendDeps } from "./http.ts";

export function send(
  settings: ChannelOf<"telegram">,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const text = [message.subject, "", message.text, ...(message.url ? ["", message.url] : [])];
  const body = json({
    chat_id: settings.chatId,
    text: fit(text.join("\n"), 4096),
    disable_notification: message.severity === "info",
    link_preview_options: { is_disabled: true },
  });
  const url = join(settings.apiUrl, `bot${settings.botToken}/sendMessage`);
  return deliver(
    {
      field: "apiUrl",
      method: "POST",
      url,
      body,
      refuse: (answer) => (/"ok"\s*:\s*true/.test(answer.body) ? null : "the answer is not ok"),
    },
    settings,
    deps,
  );
}
