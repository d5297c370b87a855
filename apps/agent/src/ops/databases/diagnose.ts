// A failed connection in words: what kind of problem (refused, TLS, authentication…) and what
// to do, from the drivers' error codes (Node's socket errors, TLS verification codes, MariaDB
// errnos, PostgreSQL SQLSTATEs).
import type { ConnectionProblem } from "@steward/contracts/databases";
import type { Place } from "./session.ts";

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

const TLS_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HANDSHAKE_NO_SSL_SUPPORT",
  "EPROTO",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

const where = (place: Place) =>
  place.kind === "socket" ? `the socket ${place.path}` : `${place.host}:${place.port}`;

const problem = (kind: ConnectionProblem["kind"], message: string): ConnectionProblem => ({
  kind,
  message,
  privilege: null,
});

/** What a connection error means, for a person. */
export function diagnose(error: unknown, place: Place, user: string): ConnectionProblem {
  const e = (error ?? {}) as DriverError;
  const code = e.code ?? "";
  const message = e.message ?? String(error);
  if (code === "ECONNREFUSED" || code === "ENOENT")
    return problem(
      "refused",
      `connection refused at ${where(place)}: is the server running and listening there?`,
    );
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return problem("unreachable", `the host name of ${where(place)} does not resolve`);
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return problem("unreachable", `${where(place)} is unreachable from here`);
  if (code === "ETIMEDOUT" || /timeout/i.test(message))
    return problem(
      "timeout",
      `no answer from ${where(place)} in time (a firewall dropping packets?)`,
    );
  if (TLS_CODES.has(code) || /does not support (SSL|secure)|SSL off|certificate/i.test(message))
    return problem("tls", tlsMessage(code, message, place));
  if (
    e.errno === 1045 ||
    code === "28P01" ||
    code === "ER_ACCESS_DENIED_ERROR" ||
    (code === "28000" && /password|authentication/i.test(message))
  )
    return problem(
      "authentication",
      `authentication failed for ${user} at ${where(place)}: check the user name and password`,
    );
  if (code === "28000")
    return problem("authentication", `the server refuses ${user} from this address (${message})`);
  return problem("other", `${where(place)}: ${message}`.slice(0, 500));
}

function tlsMessage(code: string, message: string, place: Place): string {
  if (/does not support (SSL|secure)/i.test(message) || code === "HANDSHAKE_NO_SSL_SUPPORT")
    return `TLS mismatch: ${where(place)} does not offer TLS; set the TLS mode to disable or enable TLS on the server`;
  if (/SSL off/.test(message))
    return `TLS mismatch: ${where(place)} accepts this user only over TLS; set the TLS mode to require or verify-full`;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID")
    return `TLS: the server's certificate is not for the host name used (${message})`;
  return `TLS: the server's certificate is not trusted (${code || message.split(";")[0]}); give its CA or use the mode require`;
}

/** A missing privilege, named. */
export const missingPrivilege = (user: string, privilege: string): ConnectionProblem => ({
  kind: "privilege",
  message: `${user} lacks the ${privilege} privilege Steward needs to manage databases and users`,
  privilege,
});
