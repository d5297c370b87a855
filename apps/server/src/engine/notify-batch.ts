// Live events published while a NOTIFY is on its way go out together in the next one, as a
// JSON array: a worker finishing many tasks at once sends a few NOTIFYs, not one per task.
import { coalesce } from "./coalesce.ts";

/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. */
const MAX_PAYLOAD = 7_900;

/** `publish(item)` settles once the NOTIFY carrying the item is sent (or failed). */
export function createNotifyBatcher<T>(send: (payload: string) => Promise<unknown>) {
  return coalesce<T>(async (items) => {
    for (const payload of payloads(items)) await send(payload);
  });
}

/** JSON arrays of the items in order, each under the payload limit; an item is never split. */
export function payloads<T>(items: T[]): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const item of items) {
    const json = JSON.stringify(item);
    const bytes = Buffer.byteLength(json) + 1;
    if (parts.length && size + bytes > MAX_PAYLOAD) {
      out.push(`[${parts.join(",")}]`);
      parts = [];
      size = 2;
    }
    parts.push(json);
    size += bytes;
  }
  if (parts.length) out.push(`[${parts.join(",")}]`);
  return out;
}
