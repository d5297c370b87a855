// Slack's incoming webhook as documented (https://api.slack.com/messaging/webhooks and the
// error list https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks):
// POST JSON with `text` and optional Block Kit `blocks` to the webhook's path; 200 "ok", or a
// plain-text error: 403 invalid_token, 400 invalid_payload / no_text.
import { z } from "zod";
import { type Handler, jsonBody, parseBody, problem } from "./server.ts";

const block = z.looseObject({
  type: z.enum(["header", "section", "actions", "context", "divider"]),
});
const payload = z.strictObject({
  text: z.string().min(1).max(40_000),
  blocks: z.array(block).max(50).optional(),
});

export const slackFake =
  (path: string): Handler =>
  (request, fake) => {
    if (request.method !== "POST") problem(fake, `method ${request.method}`);
    if (request.path !== path) return { status: 403, body: "invalid_token" };
    const body = parseBody(fake, payload, jsonBody(fake, request));
    if (!body) return { status: 400, body: "invalid_payload" };
    return { status: 200, body: "ok" };
  };
