// A Matrix homeserver's send event as documented
// (https://spec.matrix.org/v1.11/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid):
// PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId} with a Bearer token; 200
// {"event_id"}, or {"errcode","error"}: 401 M_UNKNOWN_TOKEN, 403 M_FORBIDDEN (not in the room).
// A transaction id seen before is the same event again (idempotent), so a sender must not reuse one.
import { z } from "zod";
import { type Handler, jsonBody, parseBody, problem } from "./server.ts";

const payload = z.strictObject({
  msgtype: z.literal("m.text"),
  body: z.string().min(1),
  format: z.literal("org.matrix.custom.html").optional(),
  formatted_body: z.string().optional(),
});
const PATH = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/;

export const matrixFake = (accessToken: string, roomId: string): Handler => {
  const transactions = new Set<string>();
  return (request, fake) => {
    const m = PATH.exec(request.path);
    if (request.method !== "PUT" || !m) problem(fake, `${request.method} ${request.path}`);
    if (request.headers.authorization !== `Bearer ${accessToken}`)
      return {
        status: 401,
        body: { errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token passed." },
      };
    const room = decodeURIComponent(m?.[1] ?? "");
    if (room !== roomId)
      return {
        status: 403,
        body: { errcode: "M_FORBIDDEN", error: `User @steward:example.org not in room ${room}` },
      };
    const txn = m?.[2] ?? "";
    if (transactions.has(txn)) problem(fake, `transaction id ${txn} reused`);
    transactions.add(txn);
    const body = parseBody(fake, payload, jsonBody(fake, request));
    if (!body) return { status: 400, body: { errcode: "M_BAD_JSON", error: "Content not JSON." } };
    return { status: 200, body: { event_id: `$event${transactions.size}` } };
  };
};
