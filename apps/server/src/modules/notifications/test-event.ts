// The event a channel's "send test" sends: notification.test, naming the channel and who asked.
import type { EventOf } from "@steward/contracts/notifications";
import { sampleEvent } from "@steward/contracts/notifications";
import { newId } from "../../lib/ids.ts";
import type { ChannelRow } from "./repo.ts";

export function testEvent(
  channel: Pick<ChannelRow, "id" | "name" | "account_id">,
  requestedBy: string,
  publicUrl: string,
): EventOf<"notification.test"> {
  return {
    ...sampleEvent("notification.test"),
    id: newId("evt"),
    accountId: channel.account_id,
    summary: `a test notification from Steward on channel ${channel.name}`,
    occurredAt: new Date().toISOString(),
    url: new URL(`/channels/${channel.id}`, publicUrl).toString(),
    fields: { channelName: channel.name, requestedBy },
  };
}
