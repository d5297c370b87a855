// The outbound policy a CMS site's requests go out under: an account's notification channel's
// (the installation's deny and allow lists, never the panel's own endpoints, no private,
// loopback or link-local address unless the installation's allow list names it).
import type { OutboundPolicy } from "@steward/contracts/net";
import { channelPolicy } from "../notifications/channels/policy.ts";

export const cmsPolicy = (settings: Parameters<typeof channelPolicy>[0]): OutboundPolicy =>
  channelPolicy(settings, "account");
