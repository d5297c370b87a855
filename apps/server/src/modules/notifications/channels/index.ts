// The notification channels' library: one sender per kind, each building its provider's
// documented request (see the file of each kind), all going out under the outbound policy of
// the channel's owner (policy.ts) and answering a SendResult, never throwing.
import type {
  ChannelKind,
  ChannelOf,
  ChannelSettings,
  RenderedMessage,
  SendResult,
} from "@steward/contracts/notifications";
import * as discord from "./discord.ts";
import * as email from "./email.ts";
import * as gotify from "./gotify.ts";
import type { SendDeps } from "./http.ts";
import * as matrix from "./matrix.ts";
import * as ntfy from "./ntfy.ts";
import * as pushover from "./pushover.ts";
import * as slack from "./slack.ts";
import * as teams from "./teams.ts";
import * as telegram from "./telegram.ts";
import * as webhook from "./webhook.ts";

export type { SendDeps } from "./http.ts";
export { channelPolicy, refuseChannel } from "./policy.ts";
export { signature as webhookSignature } from "./webhook.ts";

type Sender<K extends ChannelKind> = (
  settings: ChannelOf<K>,
  message: RenderedMessage,
  deps: SendDeps,
) => Promise<SendResult>;

const SENDERS: { [K in ChannelKind]: Sender<K> } = {
  email: email.send,
  webhook: webhook.send,
  slack: slack.send,
  discord: discord.send,
  teams: teams.send,
  telegram: telegram.send,
  ntfy: ntfy.send,
  gotify: gotify.send,
  pushover: pushover.send,
  matrix: matrix.send,
};

/** Sends one message on one channel (a delivery, or "send test"). */
export function sendNotification(
  settings: ChannelSettings,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const sender = SENDERS[settings.kind] as Sender<ChannelKind>;
  return sender(settings, message, deps);
}
