// Telegram's Bot API sendMessage as documented (https://core.telegram.org/bots/api#sendmessage
// and #making-requests): POST JSON to /bot<token>/sendMessage; {"ok":true,"result":Message}, or
// {"ok":false,"error_code","description"}: 401 Unauthorized, 400 Bad Request: chat not found.
import { z } from "zod";
import { type Handler, jsonBody, parseBody, problem } from "./server.ts";

const payload = z.strictObject({
  chat_id: z.union([z.number().int(), z.string().min(1)]),
  text: z.string().min(1).max(4096),
  parse_mode: z.enum(["HTML", "MarkdownV2", "Markdown"]).optional(),
  disable_notification: z.boolean().optional(),
  link_preview_options: z.strictObject({ is_disabled: z.boolean() }).optional(),
  message_thread_id: z.number().int().optional(),
});
const refused = (code: number, description: string) => ({
  status: code,
  body: { ok: false, error_code: code, description },
});

export const telegramFake =
  (token: string, chatId: string): Handler =>
  (request, fake) => {
    if (request.method !== "POST") problem(fake, `method ${request.method}`);
    if (request.path !== `/bot${token}/sendMessage`) return refused(401, "Unauthorized");
    const body = parseBody(fake, payload, jsonBody(fake, request));
    if (!body) return refused(400, "Bad Request: message text is empty");
    if (String(body.chat_id) !== chatId) return refused(400, "Bad Request: chat not found");
    const chat = { id: Number(chatId), type: "private" };
    return {
      status: 200,
      body: { ok: true, result: { message_id: 1, date: 0, chat, text: body.text } },
    };
  };
