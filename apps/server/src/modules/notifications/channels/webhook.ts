// A generic webhook: POST the message as JSON to the user's URL, signed so the receiver can
// tell it comes from this channel and is fresh:
//   X-Steward-Timestamp: <unix seconds>             (also `timestamp` in the signed body)
//   X-Steward-Signature: sha256=<hex HMAC-SHA256 of the raw body with the channel's secret>
// A receiver recomputes the HMAC over the exact bytes it received, compares in constant time,
// and refuses a timestamp more than five minutes from its clock or different from the body's
// (a replay). The user's custom headers are sent as they are; Steward's own cannot be set.
// Any 2xx is a success; anything else a failure with the receiver's answer.
import { createHmac } from "node:crypto";
import type { ChannelOf, RenderedMessage, SendResult } from "@steward/contracts/notifications";
import { deliver, json, type SendDeps } from "./http.ts";

/** The signature header's value for a raw body. */
export const signature = (secret: string, rawBody: string) =>
  `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;

export function send(
  settings: ChannelOf<"webhook">,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const timestamp = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  const body = json({ ...message, timestamp });
  const headers = {
    ...settings.headers,
    "x-steward-timestamp": String(timestamp),
    "x-steward-signature": signature(settings.secret, body),
  };
  return deliver(
    { field: "url", method: "POST", url: settings.url, headers, body },
    settings,
    deps,
  );
}
