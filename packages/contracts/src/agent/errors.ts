// The agent's error codes, decided here for both sides of the wire: what the agent's HTTP API
// answers (with each code's status), why an operation failed (OpResult.error.code), and why
// the panel's request to an agent failed. One name per meaning, the panel's own name
// (../errors.ts) wherever the meaning is the same.
import { z } from "zod";
import { errorStatus } from "../errors.ts";

/** The agent's HTTP errors and their statuses: the agent sets no status anywhere else. */
export const agentErrorStatus = {
  VALIDATION_FAILED: errorStatus.VALIDATION_FAILED,
  BAD_REQUEST: errorStatus.BAD_REQUEST,
  NOT_FOUND: errorStatus.NOT_FOUND,
  PAYLOAD_TOO_LARGE: errorStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: errorStatus.UNSUPPORTED_MEDIA_TYPE,
  INTERNAL: errorStatus.INTERNAL,
  METHOD_NOT_ALLOWED: 405,
  /** no operation of that name, or one this agent's version cannot run yet */
  UNKNOWN_OPERATION: 404,
  NOT_IMPLEMENTED: 404,
  UNSUPPORTED_VERSION: 400,
  /** certificate rotation */
  NO_PENDING_REQUEST: 409,
  KEY_MISMATCH: 400,
  NOT_FROM_CA: 400,
  EXPIRED: 400,
  /** who may talk to the agent (server/auth.ts) */
  NO_CLIENT_CERTIFICATE: 401,
  NOT_THE_PANEL: 403,
  TOKEN_MISSING: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  TOKEN_TOO_LONG: 401,
  TOKEN_REPLAYED: 401,
  WRONG_AUDIENCE: 403,
  WRONG_SUBJECT: 403,
} as const;
export type AgentHttpErrorCode = keyof typeof agentErrorStatus;

/** Why an operation failed, in OpResult.error.code; the message says what to do. */
export const opFailureCode = z.enum([
  /** the runner: cancelled (also while waiting for the site's lock), a bug, a failed undo */
  "CANCELLED",
  "INTERNAL",
  "ROLLBACK_FAILED",
  /** a process it ran: exited non-zero, missing, not executable, not started, too slow */
  "COMMAND_FAILED",
  "COMMAND_NOT_FOUND",
  "NOT_EXECUTABLE",
  "SPAWN_FAILED",
  "TIMEOUT",
  /** the agent's second check of the input refused it (the panel's name) */
  "OP_INPUT_INVALID",
  /** the node is not as the operation needs it */
  "CONFIG",
  "UNSAFE_PATH",
  "PATH_TOO_LONG",
  "NAME_TAKEN",
  "NOT_OWNER",
  "USER_NOT_ALLOWED",
  "USER_NOT_CREATED",
  "UPSTREAM_REFUSED",
  "UPSTREAM_UNRESOLVED",
  /** certificates: no key waiting for this chain, a chain for another key, not a certificate */
  "NO_PENDING_KEY",
  "KEY_MISMATCH",
  "CERTIFICATE_INVALID",
  /** a service did not do what it should */
  "NGINX_DUMP",
  "NGINX_NOT_RELOADED",
  "NOT_RUNNING",
  "VERIFY_FAILED",
  /** DNS: the server's checker or API refused the zone (the message names the records) */
  "ZONE_INVALID",
  /** DNS: this node serves no zones (agent.json dns.backend is "none") */
  "DNS_NOT_CONFIGURED",
  /** DNS: what Steward does not do on this server yet (DNSSEC on BIND, a PowerDNS primary's secondaries) */
  "DNS_UNSUPPORTED",
  /** databases: the database server refused a statement or a login (the message says which) */
  "DATABASE_REFUSED",
  /** backups: the artifact is not what its sidecar says (SHA-256, a chunk, the key) */
  "BACKUP_DAMAGED",
  /** the SQL console: the statement was refused (the console's check or the server) or timed out */
  "QUERY_FAILED",
  /** containers: the node has no engine configured or its socket does not answer */
  "ENGINE_UNAVAILABLE",
  /** containers: the engine refused a call (the message has its answer) */
  "ENGINE_REFUSED",
  /** containers: the app's container did not become healthy (or running) in time */
  "UNHEALTHY",
  /** containers: a host port asked for is in use (by the host or another container) */
  "PORT_TAKEN",
  /** a git source: its host refused by the outbound policy, or the clone failed */
  "GIT_FAILED",
  /** the engine's build of an app's Dockerfile failed */
  "BUILD_FAILED",
  /** agent upgrades: not a single-file agent, the download failed, the file is not the one announced */
  "UPGRADE_UNSUPPORTED",
  "DOWNLOAD_FAILED",
  "CHECKSUM_MISMATCH",
  /** mail: this node serves no mail (agent.json mail.enabled is false) or Postfix is not wired to Steward's files */
  "MAIL_NOT_CONFIGURED",
  /** mail: postfix check or doveconf refused the configuration (the message has their words) */
  "MAIL_CONFIG_INVALID",
]);
export type OpFailureCode = z.infer<typeof opFailureCode>;

/** Why the panel's request to an agent failed (the panel's agent client). */
export const agentErrorCode = z.enum([
  /** no connection, refused, reset, timed out: retried */
  "AGENT_UNREACHABLE",
  /** the agent presents another certificate than the one enrolled */
  "AGENT_CERT_MISMATCH",
  /** the agent refused the panel's certificate or request token */
  "AGENT_REFUSED_CREDENTIALS",
  /** the node is revoked (before the request, or while it ran) */
  "NODE_REVOKED",
  /** the node has not enrolled yet, or does not exist */
  "NODE_NOT_ENROLLED",
  /** the agent answered with an error status (4xx permanent, 5xx retried) */
  "AGENT_ERROR",
  /** the agent's answer is not what the protocol says (cut short, or another version) */
  "AGENT_PROTOCOL",
  /** the panel's own input for an operation does not fit its contract */
  "OP_INPUT_INVALID",
]);
export type AgentErrorCode = z.infer<typeof agentErrorCode>;
