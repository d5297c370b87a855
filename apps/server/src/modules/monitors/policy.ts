// The outbound policy a monitor's checks go out under: a notification channel's (the same
// notion as a node's): the installation's deny and allow lists, the panel's own endpoints
// never, private ranges only for an installation monitor (super users only); loopback and
// link-local addresses refused for both unless the installation's allow list names them.
import { type MonitorSettings, resolverAddress } from "@steward/contracts/monitors";
import type { OutboundPolicy } from "@steward/contracts/net";
import { type FieldTarget, type Resolve, refuseFields } from "../../lib/outbound.ts";
import { channelPolicy } from "../notifications/channels/policy.ts";

type PolicySettings = Parameters<typeof channelPolicy>[0];

/** The policy of an installation monitor (no account) or of an account's. */
export const monitorPolicy = (settings: PolicySettings, accountId: string | null) =>
  channelPolicy(settings, accountId === null ? "installation" : "account");

/** The outbound targets of a monitor's settings, by input field. */
function targets(s: MonitorSettings): FieldTarget[] {
  switch (s.kind) {
    case "http":
      return [{ field: "settings.url", url: s.url }];
    case "tcp":
    case "tls":
      return [{ field: "settings.host", url: [s.host, s.port] }];
    case "dns": {
      const { host, port } = resolverAddress(s.resolver);
      return [{ field: "settings.resolver", url: [host, port] }];
    }
    case "ping":
      // ICMP has no port: 1 stands for "any service of this host" in the policy's terms
      return [{ field: "settings.host", url: [s.host, 1] }];
    case "heartbeat":
    case "rdap":
      // the RDAP server is known from the bootstrap only: checked at every query
      return [];
  }
}

/** The check at input: the first field whose target the policy refuses, and why; or null. */
export const refuseMonitor = (s: MonitorSettings, policy: OutboundPolicy, resolve?: Resolve) =>
  refuseFields(targets(s), policy, resolve);
