// A Teams Workflows webhook as documented
// (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook):
// POST a message whose attachment is an Adaptive Card; 202 Accepted, or (Power Automate)
// 401 with {"error":{"code":"DirectApiAuthorizationRequired","message":…}} for a bad signature.
import { z } from "zod";
import { type Handler, jsonBody, parseBody, problem } from "./server.ts";

const element = z.looseObject({ type: z.string().min(1) });
const card = z.strictObject({
  $schema: z.literal("http://adaptivecards.io/schemas/adaptive-card.json").optional(),
  type: z.literal("AdaptiveCard"),
  version: z.string().regex(/^1\.[0-6]$/),
  body: z.array(element).min(1),
  actions: z.array(z.looseObject({ type: z.literal("Action.OpenUrl"), url: z.url() })).optional(),
});
const payload = z.strictObject({
  type: z.literal("message"),
  attachments: z
    .array(
      z.strictObject({
        contentType: z.literal("application/vnd.microsoft.card.adaptive"),
        contentUrl: z.null(),
        content: card,
      }),
    )
    .length(1),
});

export const teamsFake =
  (path: string): Handler =>
  (request, fake) => {
    if (request.method !== "POST") problem(fake, `method ${request.method}`);
    if (request.path !== path)
      return {
        status: 401,
        body: {
          error: {
            code: "DirectApiAuthorizationRequired",
            message: "The request must be authenticated only by Shared Access scheme.",
          },
        },
      };
    const body = parseBody(fake, payload, jsonBody(fake, request));
    if (!body)
      return {
        status: 400,
        body: {
          error: {
            code: "InvalidRequestContent",
            message:
              "The input body for trigger 'manual' of type 'Request' did not match its schema definition.",
          },
        },
      };
    return { status: 202 };
  };
