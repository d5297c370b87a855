// The one policy for outbound targets a tenant chooses (proxy upstreams today; monitor URLs,
// webhooks, git and CMS URLs later): pure evaluation, the same on the panel (at input) and
// on the agent (at apply time, with the addresses its own resolver gave).
//
// For each address of a target, first match wins:
//   1. unspecified (0.0.0.0, ::), multicast and broadcast addresses: never
//   2. an endpoint of Steward itself (the panel's and the agent's addresses and ports): never
//   3. the installation's deny list
//   4. the allow lists (installation and node), and the target account's own apps' published
//      ports on the node's own addresses (loopback or its interfaces): exactly those ports

//   5. public addresses: allowed; private ones (RFC 1918, CGNAT 100.64/10, fc00::/7) when the
//      node allows private ranges; loopback, link-local and reserved ones: refused
// A name is allowed only when every address it resolves to is.
import { z } from "zod";
import {
  type Address,
  type AddressClass,
  cidr,
  classify,
  inCidr,
  ipText,
  parseCidr,
  parseIp,
} from "./address.ts";
import type { Target } from "./target.ts";

const host = z
  .string()
  .max(253)
  .regex(/^([A-Za-z0-9.:-]+|local)$/, "must be an address, a host name or local");

/** An address and port of Steward itself that no target may point at. */
export const outboundEndpoint = z.strictObject({
  /** an IP address, a host name, or "local": any address of the machine connecting */
  host,
  port: z.number().int().min(1).max(65535),
  /** who listens there, for messages: "the panel", "the agent" */
  what: z
    .string()
    .max(40)
    .regex(/^[a-z '-]+$/),
});
export type OutboundEndpoint = z.infer<typeof outboundEndpoint>;

/** The effective policy where a connection is made (the panel sends a node's to its agent). */
export const outboundPolicy = z.strictObject({
  /** private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) are allowed */
  allowPrivate: z.boolean().default(false),
  /** ranges allowed whatever their class (the installation's and the node's) */
  allow: z.array(cidr).max(200).default([]),
  /** ranges refused whatever else says (the installation's) */
  deny: z.array(cidr).max(200).default([]),
  endpoints: z.array(outboundEndpoint).max(50).default([]),
  /**
   * The host ports the target's account's own apps publish on this node (docs/apps.md,
   * "Ingress through a site"): allowed on the node's own addresses (loopback, its
   * interfaces), and only those ports: another account's app stays refused.
   */
  appPorts: z.array(z.number().int().min(1).max(65535)).max(1000).optional(),
});
export type OutboundPolicy = z.output<typeof outboundPolicy>;

export const DEFAULT_POLICY: OutboundPolicy = {
  allowPrivate: false,
  allow: [],
  deny: [],
  endpoints: [],
};

export interface CheckContext {
  /** who decides, in messages ("this node") */
  who: string;
  /** the connecting machine's own addresses (its interfaces), for "local" endpoints */
  localAddresses?: readonly string[];
  /** the addresses of endpoints given by name (resolved by the caller) */
  endpointAddresses?: ReadonlyMap<string, readonly string[]>;
}

const ARTICLE: Record<AddressClass, string> = {
  public: "a public address",
  private: "a private address",
  loopback: "a loopback address",
  "link-local": "a link-local address",
  reserved: "a reserved address",
  unspecified: "an unspecified address (this machine)",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
};
const NEVER: ReadonlySet<AddressClass> = new Set(["unspecified", "multicast", "broadcast"]);

const same = (a: Address, b: string) => {
  const p = parseIp(b);
  return p !== null && p.kind() === a.kind() && ipText(p) === ipText(a);
};

/** The connecting machine itself: a loopback address or one of one of its interfaces' addresses. */
function isOwnAddress(a: Address, ctx: CheckContext): boolean {
  return classify(a) === "loopback" || (ctx.localAddresses ?? []).some((l) => same(a, l));
}

function isEndpoint(a: Address, port: number, ep: OutboundEndpoint, ctx: CheckContext): boolean {
  if (ep.port !== port) return false;
  if (ep.host === "local") return classify(a) === "unspecified" || isOwnAddress(a, ctx);
  const literal = parseIp(ep.host);
  if (literal) return same(a, ipText(literal));
  return (ctx.endpointAddresses?.get(ep.host.toLowerCase()) ?? []).some((l) => same(a, l));
}

/** Why one address and port is refused (a phrase: "a loopback address, which …"), or null. */
export function refuseAddress(
  policy: OutboundPolicy,
  a: Address,
  port: number,
  ctx: CheckContext,
): string | null {
  const cls = classify(a);
  if (NEVER.has(cls)) return `${ARTICLE[cls]}, which is never allowed`;
  const ep = policy.endpoints.find((e) => isEndpoint(a, port, e, ctx));
  if (ep) return `${ep.what}'s own address and port, which are never allowed`;
  const ranges = (list: string[]) => list.map(parseCidr).filter((r) => r !== null);
  const denied = ranges(policy.deny).find((r) => inCidr(a, r));
  if (denied) return `in ${ipText(denied[0])}/${denied[1]}, which this installation denies`;
  if (ranges(policy.allow).some((r) => inCidr(a, r))) return null;
  if (policy.appPorts?.includes(port) && isOwnAddress(a, ctx)) return null;
  if (cls === "public" || (cls === "private" && policy.allowPrivate)) return null;
  return `${ARTICLE[cls]}, which ${ctx.who} does not allow`;
}

/**
 * Why a target is refused, given the addresses its host has (the literal, or what a name
 * resolved to), or null when every one is allowed. The message follows the field's name:
 * "upstream: resolves to 127.0.0.1, a loopback address, which this node does not allow".
 */
export function refuseTarget(
  policy: OutboundPolicy,
  target: Target,
  addresses: readonly string[],
  ctx: CheckContext,
): string | null {
  if (addresses.length === 0) return `${target.host} does not resolve to any address`;
  for (const text of addresses) {
    const a = parseIp(text);
    if (!a) return `${target.host} resolves to ${text}, which is not an IP address`;
    const why = refuseAddress(policy, a, target.port, ctx);
    if (why)
      return target.ip
        ? `${ipText(a)} is ${why}`
        : `${target.host} resolves to ${ipText(a)}, ${why}`;
  }
  return null;
}
