// The agent's half of the outbound policy (packages/contracts/src/net) for a proxy site: the
// upstream's name is resolved here, with this node's resolver, and every address it has is
// checked against the policy the panel sent plus what only the agent knows (its own port, the
// panel it was enrolled with, the machine's own addresses). The addresses checked are the ones
// nginx is given (render.ts writes them into an upstream block): nginx never resolves the name
// itself, so a later DNS answer (rebinding) cannot point the site elsewhere.
import { lookup, Resolver } from "node:dns/promises";
import { networkInterfaces } from "node:os";
import type { SiteApplyInput } from "@steward/contracts/agent";
import {
  DEFAULT_POLICY,
  fixedAddresses,
  ipText,
  type OutboundEndpoint,
  parseIp,
  parseTarget,
  refuseTarget,
} from "@steward/contracts/net";
import type { AgentConfig } from "../../config.ts";
import { OpFailure } from "../types.ts";

/** A checked upstream: what nginx connects to (addresses) and the name it was given. */
export interface PinnedUpstream {
  scheme: "http" | "https";
  /** the host name (for TLS's server name), null for an IP literal */
  name: string | null;
  port: number;
  /** canonical IP addresses, IPv6 without brackets */
  addresses: string[];
}

type Config = Pick<AgentConfig, "listen" | "panelUrl" | "resolver">;

/** Refuses (UPSTREAM_REFUSED) unless every address of the upstream is allowed; null if none. */
export async function checkUpstream(
  config: Config,
  site: SiteApplyInput,
): Promise<PinnedUpstream | null> {
  if (site.kind !== "proxy" || site.suspended || !site.upstream) return null;
  const t = parseTarget(site.upstream);
  if (typeof t === "string") throw new OpFailure("OP_INPUT_INVALID", `upstream: ${t}`);
  const addresses = t.ip ? [ipText(t.ip)] : await resolve(config, t.host);
  // an input that bypassed the schema (no policy) gets the strictest one
  const policy = site.outbound ?? DEFAULT_POLICY;
  const endpoints = [...policy.endpoints, ...ownEndpoints(config)];
  const named = [...new Set(endpoints.map((e) => e.host.toLowerCase()))].filter(
    (h) => h !== "local" && !parseIp(h),
  );
  const endpointAddresses = new Map(
    await Promise.all(
      named.map(async (h) => [h, await resolve(config, h).catch(() => [])] as const),
    ),
  );
  const why = refuseTarget({ ...policy, endpoints }, t, addresses, {
    who: "this node",
    localAddresses: localAddresses(),
    endpointAddresses,
  });
  if (why) throw new OpFailure("UPSTREAM_REFUSED", `upstream: ${why}`);
  const canonical = addresses.map((a) => {
    const ip = parseIp(a);
    return ip ? ipText(ip) : a;
  });
  return {
    scheme: t.scheme,
    name: t.ip ? null : t.host,
    port: t.port,
    addresses: [...new Set(canonical)],
  };
}

/** The agent's own listening port and the panel it knows: never an upstream (nor a check's target). */
export function ownEndpoints(config: Config): OutboundEndpoint[] {
  const out: OutboundEndpoint[] = [];
  if (config.listen.port > 0) {
    out.push({ host: "local", port: config.listen.port, what: "the agent" });
    if (parseIp(config.listen.host))
      out.push({ host: config.listen.host, port: config.listen.port, what: "the agent" });
  }
  const panel = new URL(config.panelUrl);
  const port = Number(panel.port) || (panel.protocol === "https:" ? 443 : 80);
  out.push({ host: panel.hostname.replace(/^\[|\]$/g, ""), port, what: "the panel" });
  return out;
}

export function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) =>
    (list ?? []).map((i) => i.address.replace(/%.*$/, "")),
  );
}

const NO_ANSWER = new Set(["ENOTFOUND", "ENODATA", "ENONAME", "EAI_NODATA", "EAI_NONAME"]);

/** Every address a name has for this node: fixed ones for localhost, else its resolver's. */
export async function resolve(config: Config, host: string): Promise<string[]> {
  const fixed = fixedAddresses(host);
  if (fixed) return fixed;
  try {
    if (config.resolver.servers.length === 0)
      return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    const r = new Resolver({ timeout: 3000, tries: 2 });
    r.setServers(config.resolver.servers);
    const answers = await Promise.all(
      [r.resolve4(host), r.resolve6(host)].map((p) =>
        p.catch((e: NodeJS.ErrnoException) => {
          if (NO_ANSWER.has(e.code ?? "")) return [];
          throw e;
        }),
      ),
    );
    return answers.flat();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    if (NO_ANSWER.has(code)) return [];
    throw new OpFailure(
      "UPSTREAM_UNRESOLVED",
      `upstream: resolving ${host} failed (${code || (e as Error).message}); nothing was changed`,
    );
  }
}
