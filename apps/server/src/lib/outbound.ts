// The panel's half of the outbound-target (SSRF) policy (packages/contracts/src/net): the
// panel's own endpoints, and the check at input time, resolving names with the panel's
// resolver where it can. The node checks again with its own resolver when it applies (a name
// may resolve differently there, or later), so a name the panel cannot resolve is left to it.
import { lookup } from "node:dns/promises";
import { networkInterfaces } from "node:os";
import {
  fixedAddresses,
  hostTarget,
  type OutboundEndpoint,
  type OutboundPolicy,
  parseIp,
  parseTarget,
  parseUrlTarget,
  refuseTarget,
  type Target,
} from "@steward/contracts/net";
import type { Settings } from "../config/schema.ts";

/** How long the panel waits for its resolver at input before leaving the name to the node. */
const RESOLVE_MS = 3000;

/** The addresses a name has from here; null when that cannot be told here (no answer). */
export async function resolveHere(host: string): Promise<string[] | null> {
  const fixed = fixedAddresses(host);
  if (fixed) return fixed;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((r) => {
    timer = setTimeout(() => r(null), RESOLVE_MS);
  });
  try {
    const found = lookup(host, { all: true, verbatim: true }).then(
      (list) => list.map((a) => a.address),
      () => null,
    );
    return await Promise.race([found, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The panel machine's own addresses (its interfaces). */
export function panelAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) =>
    (list ?? []).map((i) => i.address.replace(/%.*$/, "")),
  );
}

/**
 * Where the panel answers, as endpoints no outbound target may point at: its public URL, and
 * its listening address and port: any address of the machine when it listens on all of them,
 * and "local" (the node's own addresses) when the node is this machine.
 */
export function panelEndpoints(
  settings: Pick<Settings, "listen" | "port" | "publicUrl">,
  sameMachine: boolean,
): OutboundEndpoint[] {
  const what = "the panel";
  const out: OutboundEndpoint[] = [];
  const url = new URL(settings.publicUrl ?? `http://localhost:${settings.port}`);
  const publicPort = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  out.push({ host: url.hostname.replace(/^\[|\]$/g, ""), port: publicPort, what });
  if (sameMachine) out.push({ host: "local", port: settings.port, what });
  const listen = parseIp(settings.listen);
  const all = listen !== null && listen.range() === "unspecified";
  if (all) for (const a of panelAddresses()) out.push({ host: a, port: settings.port, what });
  else if (listen && listen.range() !== "loopback")
    out.push({ host: settings.listen, port: settings.port, what });
  return out;
}

/** Resolves a host name: the panel's resolver unless a caller (a test) passes its own. */
export type Resolve = (host: string) => Promise<string[] | null>;

/**
 * The addresses `target` has from here when every one is allowed under `policy`, or why not
 * (null addresses: the name does not resolve here). The caller connects to these addresses,
 * never to the name again, so a later DNS answer cannot point it elsewhere (rebinding).
 */
export async function checkTarget(
  policy: OutboundPolicy,
  target: Target,
  who: string,
  localAddresses: readonly string[] = [],
  resolve: Resolve = resolveHere,
): Promise<{ addresses: string[] | null; why: string | null }> {
  const addresses = target.ip
    ? [target.ip.toString()]
    : (fixedAddresses(target.host) ?? (await resolve(target.host)));
  if (addresses === null) return { addresses, why: null };
  const named = policy.endpoints
    .map((e) => e.host.toLowerCase())
    .filter((h) => h !== "local" && !parseIp(h));
  const endpointAddresses = new Map<string, string[]>();
  for (const h of new Set(named)) endpointAddresses.set(h, (await resolve(h)) ?? []);
  const why = refuseTarget(policy, target, addresses, { who, localAddresses, endpointAddresses });
  return { addresses, why };
}

/**
 * Why `url` is refused under `policy`, as far as the panel can tell, or null. `who` names
 * whose policy it is in the message ("this node").
 */
export async function refuseHere(
  policy: OutboundPolicy,
  url: string,
  who: string,
  localAddresses: readonly string[] = [],
): Promise<string | null> {
  const target = parseTarget(url);
  if (typeof target === "string") return target;
  return (await checkTarget(policy, target, who, localAddresses)).why;
}

/** An input field's outbound target: a URL, or a host and port (SMTP, TCP, a resolver). */
export type FieldTarget = { field: string; url: string | [string, number] };

/**
 * The check at input (create, update) of a setting's targets: the first field whose target
 * the policy refuses, as far as the panel's resolver can tell, with why; null when none is.
 * Every connection checks again at connect time.
 */
export async function refuseFields(
  targets: readonly FieldTarget[],
  policy: OutboundPolicy,
  resolve?: Resolve,
): Promise<{ field: string; message: string } | null> {
  for (const { field, url } of targets) {
    const target = typeof url === "string" ? parseUrlTarget(url) : hostTarget(...url);
    if (typeof target === "string") return { field, message: target };
    const { why } = await checkTarget(policy, target, "this panel", panelAddresses(), resolve);
    if (why) return { field, message: why };
  }
  return null;
}
