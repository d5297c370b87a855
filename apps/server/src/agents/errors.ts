// Why a request to an agent failed, in words a person can act on, with a stable code. Failures
// that retrying cannot fix (a revoked node, a certificate that is not the enrolled one, an
// agent refusing the panel) are PermanentErrors, so the task fails at once instead of retrying.
// The codes themselves are contracts' agentErrorCode.
import type { AgentErrorCode } from "@steward/contracts/agent";
import { PermanentError } from "../engine/types.ts";

export interface AgentFailure {
  readonly code: AgentErrorCode;
  readonly message: string;
}

/** A failure worth retrying (the agent may answer later). */
export class AgentError extends Error implements AgentFailure {
  readonly code: AgentErrorCode;
  constructor(code: AgentErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A failure retrying does not fix. */
export class AgentPermanentError extends PermanentError implements AgentFailure {
  readonly code: AgentErrorCode;
  constructor(code: AgentErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const TRANSIENT = new Set<AgentErrorCode>(["AGENT_UNREACHABLE"]);

export function agentError(
  code: AgentErrorCode,
  message: string,
  opts: { permanent?: boolean } = {},
): AgentError | AgentPermanentError {
  const permanent = opts.permanent ?? !TRANSIENT.has(code);
  return permanent ? new AgentPermanentError(code, message) : new AgentError(code, message);
}

export const isAgentFailure = (e: unknown): e is AgentError | AgentPermanentError =>
  e instanceof AgentError || e instanceof AgentPermanentError;

/** Codes of TLS failures to verify the agent's certificate against the installation's CA. */
const CHAIN_ERRORS = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Turns what node:https throws into a failure that says what to do. */
export function fromNetworkError(err: unknown, url: string): AgentError | AgentPermanentError {
  if (isAgentFailure(err)) return err;
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? "";
  if (CHAIN_ERRORS.has(code))
    return mismatch(
      url,
      code === "CERT_HAS_EXPIRED"
        ? "its certificate has expired"
        : `not issued by this panel's CA: ${code}`,
    );
  // a TLS alert from the agent: it does not accept the panel's client certificate
  if (
    /^ERR_SSL_(TLSV1_ALERT|SSLV3_ALERT)_/.test(code) ||
    /alert (certificate|unknown ca|bad certificate|access denied)/i.test(e?.message ?? "")
  )
    return agentError(
      "AGENT_REFUSED_CREDENTIALS",
      `the agent refused the panel's credentials: it does not accept the panel's certificate (${code || e.message}); was it enrolled with another panel? Re-enroll the node`,
    );
  return unreachable(url, describeNetworkError(e));
}

const WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was reset",
  EHOSTUNREACH: "no route to the host",
  ENETUNREACH: "the network is unreachable",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name could not be resolved now",
  ETIMEDOUT: "the connection timed out",
  EPIPE: "the connection was closed",
};

function describeNetworkError(e: NodeJS.ErrnoException | undefined): string {
  const code = e?.code ?? "";
  return WORDS[code] ?? (e?.message || code || "unknown network error");
}

export const unreachable = (url: string, reason: string) =>
  agentError(
    "AGENT_UNREACHABLE",
    `the agent at ${url} does not answer (${reason}): is \`steward agent\` running there and reachable from the panel?`,
  );

export const mismatch = (url: string, reason: string) =>
  agentError(
    "AGENT_CERT_MISMATCH",
    `the agent at ${url} presents a different certificate than the one enrolled (${reason}): re-enroll the node if it was reinstalled`,
  );
