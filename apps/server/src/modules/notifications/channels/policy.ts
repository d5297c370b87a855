// The outbound policy a channel's requests go out under (packages/contracts/src/net), the
// same notion as a node's: the installation's deny and allow lists (settings outboundDeny,
// outboundAllow), the panel's own endpoints never, and private ranges only where a super user
// decided: an installation-wide channel (super-only) may reach a private address (a
// self-hosted ntfy, Gotify, Matrix or webhook on the LAN); an account's channel may not.
// Loopback and link-local addresses stay refused for both unless the installation's allow
// list names them.
import type { OutboundPolicy } from "@steward/contracts/net";
import type { ChannelSettings } from "@steward/contracts/notifications";
import type { Settings } from "../../../config/schema.ts";
import {
  type FieldTarget,
  panelEndpoints,
  type Resolve,
  refuseFields,
} from "../../../lib/outbound.ts";

export type ChannelScope = "installation" | "account";
type PolicySettings = Pick<
  Settings,
  "listen" | "port" | "publicUrl" | "outboundAllow" | "outboundDeny"
>;

export function channelPolicy(settings: PolicySettings, scope: ChannelScope): OutboundPolicy {
  return {
    allowPrivate: scope === "installation",
    allow: [...settings.outboundAllow],
    deny: [...settings.outboundDeny],
    endpoints: panelEndpoints(settings, true),
  };
}

/** The outbound targets of a channel's settings, by field (a fixed public API has none). */
function targets(settings: ChannelSettings): FieldTarget[] {
  switch (settings.kind) {
    case "email":
      return [{ field: "host", url: [settings.host, settings.port] }];
    case "webhook":
      return [{ field: "url", url: settings.url }];
    case "slack":
    case "discord":
    case "teams":
      return [{ field: "webhookUrl", url: settings.webhookUrl }];
    case "telegram":
      return [{ field: "apiUrl", url: settings.apiUrl }];
    case "ntfy":
    case "gotify":
      return [{ field: "serverUrl", url: settings.serverUrl }];
    case "matrix":
      return [{ field: "homeserverUrl", url: settings.homeserverUrl }];
    case "pushover":
      return [];
  }
}

/**
 * The check at input (create, update): the first field whose target the policy refuses, as
 * far as the panel's resolver can tell, with why; null when none is. Every send checks again
 * at connect time.
 */
export const refuseChannel = (
  settings: ChannelSettings,
  policy: OutboundPolicy,
  resolve?: Resolve,
) => refuseFields(targets(settings), policy, resolve);
