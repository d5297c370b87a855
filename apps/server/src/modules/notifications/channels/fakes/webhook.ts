// A receiver of Steward's generic webhook, as docs/notifications.md tells one to verify it:
// the HMAC-SHA256 of the raw body with the shared secret in X-Steward-Signature (compared in
// constant time), X-Steward-Timestamp within five minutes of its clock and equal to the body's
// `timestamp` (no replay), the body the message's fields. 401 when any check fails.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { type Handler, jsonBody, parseBody, problem } from "./server.ts";

const payload = z.strictObject({
  subject: z.string(),
  text: z.string(),
  markdown: z.string().optional(),
  html: z.string().optional(),
  severity: z.enum(["info", "warning", "critical"]),
  url: z.string().optional(),
  timestamp: z.number().int(),
});

export const webhookFake =
  (secret: string, now: () => number = Date.now): Handler =>
  (request, fake) => {
    if (request.method !== "POST") problem(fake, `method ${request.method}`);
    const expected = `sha256=${createHmac("sha256", secret).update(request.body).digest("hex")}`;
    const given = String(request.headers["x-steward-signature"] ?? "");
    const signed =
      given.length === expected.length &&
      timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!signed) return { status: 401, body: { error: "bad signature" } };
    const body = parseBody(fake, payload, jsonBody(fake, request));
    const stamp = Number(request.headers["x-steward-timestamp"]);
    if (!body || body.timestamp !== stamp || Math.abs(now() / 1000 - stamp) > 300)
      return { status: 401, body: { error: "stale or replayed" } };
    return { status: 204 };
  };
