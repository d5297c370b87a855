// Matrix: send an m.room.message event with the client-server API
// (https://spec.matrix.org/v1.11/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid),
// PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId} with
// `Authorization: Bearer <access token>`; a new transaction id per send. The homeserver answers
// 200 `{ "event_id" }`, or JSON `{ "errcode", "error" }` (M_FORBIDDEN, M_UNKNOWN_TOKEN...).
import { randomUUID } from "node:crypto";
import type { ChannelOf, RenderedMessage, SendResult } from "@steward/contracts/notifications";
import { deliver, join, json, type SendDeps } from "./http.ts";

export function send(
  settings: ChannelOf<"matrix">,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const text = [message.subject, "", message.text, ...(message.url ? ["", message.url] : [])];
  // plain text only: the email's HTML is not the subset Matrix clients render
  const event = { msgtype: "m.text", body: text.join("\n") };
  const room = encodeURIComponent(settings.roomId);
  const path = `_matrix/client/v3/rooms/${room}/send/m.room.message/${randomUUID()}`;
  return deliver(
    {
      field: "homeserverUrl",
      method: "PUT",
      url: join(settings.homeserverUrl, path),
      headers: { authorization: `Bearer ${settings.accessToken}` },
      body: json(event),
    },
    settings,
    deps,
  );
}
