// The connect-time half of the outbound-target (SSRF) policy (packages/contracts/src/net),
// where a check's connection is made: the panel's (its resolver, its own addresses) or a
// node's agent's (its resolver, its own addresses and endpoints): each side passes its own.
// The name is resolved once and every address checked; the caller connects to those addresses.
import { lookup } from "node:dns/promises";
import {
  fixedAddresses,
  neverResolves,
  type OutboundPolicy,
  parseIp,
  refuseTarget,
  type Target,
} from "@steward/contracts/net";

/** How long the panel waits for its resolver at input before leaving the name to the node. */
const RESOLVE_MS = 3000;

/** The addresses a name has from here; null when that cannot be told here (no answer). */
export async function resolveHere(host: string): Promise<string[] | null> {
  const fixed = fixedAddresses(host);
  if (fixed) return fixed;
  // not asked of the resolver: a resolver that drops one of glibc's parallel A/AAAA queries
  // held each such name for RESOLVE_MS (the tests' fixtures use .invalid names throughout)
  if (neverResolves(host)) return null;
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

/** Resolves a host name: this machine's resolver unless a caller (a test) passes its own. */
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
