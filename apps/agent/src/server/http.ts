// Small HTTP helpers: JSON answers in the API's error shape, bounded JSON bodies, request ids.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type AgentHttpErrorCode, agentErrorStatus } from "@steward/contracts/agent";

/** An answer in the API's error shape; its status is the code's, decided in contracts. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: AgentHttpErrorCode;
  readonly details: unknown[] | undefined;
  constructor(code: AgentHttpErrorCode, message: string, details?: unknown[]) {
    super(message);
    this.status = agentErrorStatus[code];
    this.code = code;
    this.details = details;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

export function sendError(res: ServerResponse, requestId: string, e: HttpError) {
  sendJson(res, e.status, {
    error: {
      code: e.code,
      message: e.message,
      ...(e.details ? { details: e.details } : {}),
      requestId,
    },
  });
}

/** The request's JSON body, at most `limit` bytes. */
export async function readJson(req: IncomingMessage, limit = 1024 * 1024): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type))
    throw new HttpError("UNSUPPORTED_MEDIA_TYPE", "the body must be application/json");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError("PAYLOAD_TOO_LARGE", `the body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError("BAD_REQUEST", "the body is not valid JSON");
  }
}

/** The panel's X-Request-Id when it is a sane token, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const h = req.headers["x-request-id"];
  const v = Array.isArray(h) ? h[0] : h;
  return v && /^[A-Za-z0-9._:-]{1,128}$/.test(v) ? v : `agent-${randomUUID()}`;
}

/** zod issues as the API's details, and a message naming the first field. */
export function validationError(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix = "input",
) {
  const details = issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].join("."),
    message: i.message,
  }));
  const first = details[0];
  return new HttpError(
    "VALIDATION_FAILED",
    first ? `${first.field} ${first.message}` : "the request is not valid",
    details,
  );
}
