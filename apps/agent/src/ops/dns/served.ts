// After a change, the node's DNS server must answer the zone's SOA with the new serial (or,
// after a removal, no longer answer for it): asked over DNS at agent.json's dns.query.
import { Resolver } from "node:dns/promises";
import type { AgentConfig } from "../../config.ts";
import { OpFailure } from "../types.ts";

const ATTEMPTS = 250;
const PAUSE_MS = 20;

function resolverOf(config: AgentConfig) {
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([config.dns.query]);
  return resolver;
}

/** The serial the server answers for the zone, or null when it does not serve it. */
export async function servedSerial(config: AgentConfig, zone: string): Promise<number | null> {
  try {
    return (await resolverOf(config).resolveSoa(zone)).serial;
  } catch {
    return null;
  }
}

/**
 * Waits (up to 5 s, asking every 20 ms) until the server answers `expected` (null: does not
 * serve the zone; `orLater`: a serial at least `expected`, as a secondary may be ahead).
 */
export async function waitServed(
  config: AgentConfig,
  zone: string,
  expected: number | null,
  signal: AbortSignal,
  opts: { orLater?: boolean } = {},
): Promise<void> {
  let last: number | null = null;
  const served = (serial: number | null) =>
    serial === expected ||
    (opts.orLater === true && serial !== null && expected !== null && serial >= expected);
  for (let i = 0; i < ATTEMPTS && !signal.aborted; i++) {
    last = await servedSerial(config, zone);
    if (served(last)) return;
    await new Promise((r) => setTimeout(r, PAUSE_MS));
  }
  throw new OpFailure(
    "VERIFY_FAILED",
    expected === null
      ? `${config.dns.query} still answers for ${zone} (serial ${last})`
      : `${config.dns.query} answers ${zone} with serial ${last ?? "none"}, not ${expected}`,
  );
}
