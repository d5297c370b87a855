// The agent protocol (docs/design.md, "Agent protocol"): what the panel and `steward agent` say to
// each other. Transport: HTTPS with mutual TLS (both certificates from the installation's
// CA), plus on every request `Authorization: Bearer <token>`: a JWT (ES256) signed with the
// panel's key (the key of its client certificate), claims:
//   iss "steward-panel", aud <node id>, sub <what it allows: "health" | "facts" | "op:<name>"
//   | "cert" | "backup-read">, jti <unique; the agent accepts each once>, iat, exp (at most 5 minutes later).
// `X-Request-Id` goes with every request and appears in the agent's log lines.
import { z } from "zod";
import { engineDiskUsageOutput } from "./containers.ts";
import { opFailureCode } from "./errors.ts";

export const TOKEN_ISSUER = "steward-panel";
export const TOKEN_MAX_SECONDS = 300;

/** Enrollment: `steward agent enroll` → POST <panel>/api/v1/agent/enroll (no session, the token). */
export const enrollRequest = z.strictObject({
  token: z
    .string()
    .min(20)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "must be the enrollment token"),
  /** PEM PKCS#10 request for the agent's key (ECDSA P-256) */
  csr: z.string().min(100).max(8000),
  hostname: z.string().max(253).optional(),
  /** where the panel reaches this agent; the node's agentUrl if omitted */
  agentUrl: z.string().max(300).optional(),
});
export type EnrollRequest = z.infer<typeof enrollRequest>;

export const enrollResponse = z.object({
  nodeId: z.string(),
  /** the agent's certificate (PEM), for its TLS server and as its identity */
  certificate: z.string(),
  /** the installation's CA (PEM): the agent accepts only clients it issued */
  caCertificate: z.string(),
  /** the panel's client certificate (PEM): its public key verifies request tokens */
  panelCertificate: z.string(),
});
export type EnrollResponse = z.infer<typeof enrollResponse>;

/** Certificate rotation, panel-driven: POST /v1/cert/csr then POST /v1/cert/install. */
export const certCsrResponse = z.object({ csr: z.string() });
export const certInstallRequest = z.strictObject({ certificate: z.string().max(8000) });

/** How busy the machine is now: sent with every health answer, cheap to read. */
export const nodeLoad = z.object({
  /** the load averages over 1, 5 and 15 minutes */
  load: z.tuple([z.number(), z.number(), z.number()]),
  cpus: z.number().int(),
  /** CPU busy since the previous health answer (since boot on the first), 0..100 */
  cpuPercent: z.number(),
  memory: z.object({ totalBytes: z.number(), availableBytes: z.number() }),
  /** the root file system */
  disk: z.object({ totalBytes: z.number(), availableBytes: z.number() }),
});
export type NodeLoad = z.infer<typeof nodeLoad>;

export const health = z.object({
  ok: z.boolean(),
  version: z.string(),
  uptimeSeconds: z.number(),
  nodeId: z.string(),
  /** seconds until the agent's certificate expires */
  certificateExpiresIn: z.number(),
  /** absent from agents older than this field */
  load: nodeLoad.optional(),
  /** scheduled cron runs waiting in the agent's spool (the panel then collects them) */
  cronRuns: z.number().optional(),
  /** accounts whose cron.d file does not run this agent's cron-exec (the panel applies them again) */
  cronStale: z.array(z.string()).max(100).optional(),
});
export type Health = z.infer<typeof health>;

export const serviceFact = z.object({
  name: z.string(),
  installed: z.boolean(),
  version: z.string().nullable(),
  running: z.boolean().nullable(),
});

export const facts = z.object({
  hostname: z.string(),
  os: z.object({ id: z.string(), name: z.string(), version: z.string(), kernel: z.string() }),
  arch: z.string(),
  cpus: z.number(),
  memory: z.object({ totalBytes: z.number(), availableBytes: z.number() }),
  disks: z.array(
    z.object({ mount: z.string(), totalBytes: z.number(), availableBytes: z.number() }),
  ),
  services: z.array(serviceFact),
  systemd: z.boolean(),
  /** the container engine apps run on; absent from agents older than this field */
  containers: z
    .object({
      engine: z.enum(["docker", "podman"]),
      /** null: the socket does not answer */
      version: z.string().nullable(),
      diskUsage: engineDiskUsageOutput.nullable(),
      /** docker-compose's version (compose stacks); null: not installed; absent from older agents */
      compose: z.string().nullable().optional(),
    })
    .optional(),
  /** PHP-FPM versions installed side by side and the one sites use by default; absent from older agents */
  php: z.object({ default: z.string().nullable(), versions: z.array(z.string()) }).optional(),
  collectedAt: z.string(),
});
export type Facts = z.infer<typeof facts>;

/** One step of an operation, as it ran. Output is truncated (4 KiB each, the end kept). */
export const opStep = z.object({
  name: z.string(),
  /** the argv it ran (never a shell string), or null for a step that ran no process */
  command: z.array(z.string()).nullable(),
  exitCode: z.number().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  durationMs: z.number(),
  ok: z.boolean(),
});
export type OpStep = z.infer<typeof opStep>;

export const opStatus = z.enum(["ok", "failed", "rolled_back"]);

export const opResult = z.object({
  status: opStatus,
  /** false when the node already was as asked (idempotent re-run) */
  changed: z.boolean(),
  steps: z.array(opStep),
  /** why it failed, in words a person can act on */
  error: z.object({ code: opFailureCode, message: z.string() }).optional(),
  /** what the operation reports back (its own schema) */
  output: z.unknown().optional(),
});
export type OpResult = z.infer<typeof opResult>;

/**
 * POST /v1/ops/<name> body. The response is NDJSON: zero or more log lines, then exactly one
 * result line. A request the agent refuses before running (bad token, unknown operation or
 * version, invalid input) is a plain JSON error with a 4xx status instead.
 */
export const opRequest = z.strictObject({ version: z.number().int().min(1), input: z.unknown() });

export const opLogLine = z.object({
  type: z.literal("log"),
  at: z.string(),
  level: z.enum(["info", "warn", "error"]),
  message: z.string(),
});
export const opResultLine = z.object({ type: z.literal("result"), result: opResult });
export const opStreamLine = z.discriminatedUnion("type", [opLogLine, opResultLine]);
export type OpStreamLine = z.infer<typeof opStreamLine>;
