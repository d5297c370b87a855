// The event a channel's "send test" sends: notification.test, naming the channel and who asked.
import type { EventOf } from "@steward/contracts/notifications";
import { sampleEvent } from "@steward/contracts/notifications";
import { newId } from "../../lib/ids.ts";
import type { ChannelRow } from "./repo.ts";

export function testEvent(
  channel: Pick<ChannelRow, "name" | "account_id">,
  requestedBy: string,
  publicUrl: string,
): EventOf<"notification.test"> {
  return {
    ...sampleEvent("notification.test"),
    id: newId("evt"),
    accountId: channel.account_id,
    summary: `a test notification from Steward on channel ${channel.name}`,
    occurredAt: new Date().toISOString(),
    // the console's list of channels (a channel has no page of its own)
    url: new URL("/channels", publicUrl).toString(),
    fields: { channelName: channel.name, requestedBy },
  };
}
