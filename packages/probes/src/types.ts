// What every probe takes and answers. A probe never throws: a refused target, a timeout, a
// wrong answer are a "down" result with the reason in words.
import type { CheckOutcome } from "@steward/contracts/monitors";
import type { OutboundPolicy } from "@steward/contracts/net";
import type { Resolve } from "./outbound.ts";

export interface ProbeResult {
  outcome: CheckOutcome;
  /** how long the exchange took; null when nothing answered */
  responseMs: number | null;
  message: string | null;
}

export interface ProbeDeps {
  /** the monitor's outbound policy (./policy.ts): checked at connect time, every check */
  policy: OutboundPolicy;
  /** the panel machine's own addresses, for the policy's "local" endpoints */
  localAddresses?: readonly string[];
  resolve?: Resolve;
  /** extra trusted CA certificates (PEM), for tests against a local TLS server */
  ca?: string;
  now?: () => number;
  /** the IANA RDAP bootstrap's URL (settings' rdapBootstrapUrl; a local one in tests) */
  rdapBootstrap?: string;
  /** whose policy it is, in refusals: "this panel" (default) or "this node" */
  who?: string;
  /** where the check runs from ("panel" or a node's id): HTTP checks say it in X-Steward-Location */
  location?: string;
}

/** What a check knows of its monitor besides the settings. */
export interface ProbeInput {
  timeoutMs: number;
  intervalMs: number;
  /** a heartbeat monitor's last ping (ms), null when it never reported */
  lastPingAt: number | null;
}

export const WHO = "this panel";

/** Whose policy refused a target, in a result's message. */
export const whoOf = (deps: Pick<ProbeDeps, "who">) => deps.who ?? WHO;

export const down = (message: string, responseMs: number | null = null): ProbeResult => ({
  outcome: "down",
  responseMs,
  message,
});

/** Milliseconds since `started` (a performance.now() reading), rounded. */
export const since = (started: number) => Math.max(0, Math.round(performance.now() - started));

/** An error's message, for a result. */
export const reason = (error: unknown) =>
  error instanceof Error ? error.message : String(error ?? "failed");

/**
 * The probes, loaded on the first check (node:tls, node:dns, the HTTP client): a CLI command
 * that never checks does not load them.
 */
let probes: Promise<typeof import("./index.ts")> | undefined;
/** (the module's promise is kept: an import() per check allocated a module job each time) */
export const loadProbes = () => {
  probes ??= import("./index.ts");
  return probes;
};
