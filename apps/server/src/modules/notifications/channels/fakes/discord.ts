// Discord's execute webhook as documented
// (https://discord.com/developers/docs/resources/webhook#execute-webhook): POST JSON to
// /api/webhooks/{id}/{token}; `?wait=true` answers 200 with the message, else 204; a wrong
// token is 401 {"message":"Invalid Webhook Token","code":50027}; an invalid body 400.
import { z } from "zod";
import { type Handler, jsonBody, parseBody, problem } from "./server.ts";

const embed = z.strictObject({
  title: z.string().max(256).optional(),
  description: z.string().max(4096).optional(),
  url: z.url().optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
});
const payload = z
  .strictObject({
    content: z.string().max(2000).optional(),
    username: z.string().min(1).max(80).optional(),
    embeds: z.array(embed).max(10).optional(),
    allowed_mentions: z.strictObject({ parse: z.array(z.string()) }).optional(),
  })
  .refine((b) => b.content || b.embeds?.length, "Cannot send an empty message");

export const discordFake =
  (id: string, token: string): Handler =>
  (request, fake) => {
    const url = new URL(request.path, "http://fake");
    if (request.method !== "POST") problem(fake, `method ${request.method}`);
    if (url.pathname !== `/api/webhooks/${id}/${token}`)
      return { status: 401, body: { message: "Invalid Webhook Token", code: 50027 } };
    const body = parseBody(fake, payload, jsonBody(fake, request));
    if (!body) return { status: 400, body: { message: "Invalid Form Body", code: 50035 } };
    if (url.searchParams.get("wait") !== "true") return { status: 204 };
    return { status: 200, body: { id: "1", type: 0, channel_id: "2", embeds: body.embeds ?? [] } };
  };
