// Gotify's create message as documented (https://gotify.net/api-docs, POST /message;
// https://gotify.net/docs/msgextras): the application token in X-Gotify-Key; 200 with the
// message, or {"error","errorCode","errorDescription"}: 401 without a valid token, 400 invalid.
import { z } from "zod";
import { type Handler, jsonBody, parseBody, problem } from "./server.ts";

const payload = z.strictObject({
  title: z.string().optional(),
  message: z.string().min(1),
  priority: z.number().int().min(0).optional(),
  extras: z
    .record(z.string().regex(/^[a-z]+::[a-z]+$/), z.record(z.string(), z.unknown()))
    .optional(),
});
const refused = (code: number, error: string, errorDescription: string) => ({
  status: code,
  body: { error, errorCode: code, errorDescription },
});

export const gotifyFake =
  (appToken: string): Handler =>
  (request, fake) => {
    if (request.method !== "POST" || request.path !== "/message")
      problem(fake, `${request.method} ${request.path}`);
    if (request.headers["x-gotify-key"] !== appToken)
      return refused(
        401,
        "Unauthorized",
        "you need to provide a valid access token or user credentials to access this api",
      );
    const body = parseBody(fake, payload, jsonBody(fake, request));
    if (!body) return refused(400, "Bad Request", "Field 'message' is required");
    return { status: 200, body: { id: 1, appid: 1, date: "2026-01-01T00:00:00Z", ...body } };
  };
