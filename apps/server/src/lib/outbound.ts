// The panel's half of the outbound-target (SSRF) policy (packages/contracts/src/net): the
// panel's own endpoints, and the check at input time, resolving names with the panel's
// resolver where it can (the check itself, checkTarget, is @steward/probes/outbound's, which
// the nodes' agents run too). The node checks again with its own resolver when it applies (a name
// may resolve differently there, or later), so a name the panel cannot resolve is left to it.
import { networkInterfaces } from "node:os";
import {
  hostTarget,
  type OutboundEndpoint,
  type OutboundPolicy,
  parseIp,
  parseTarget,
  parseUrlTarget,
} from "@steward/contracts/net";
import { checkTarget, type Resolve } from "@steward/probes/outbound";
import type { Settings } from "../config/schema.ts";

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

export { checkTarget, type Resolve, resolveHere } from "@steward/probes/outbound";
