import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { type ErrorCode, type ErrorDetail, errorStatus } from "@steward/contracts";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isDatabaseUnavailable } from "../../db/unavailable.ts";
import { AppError } from "../../lib/errors.ts";

export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  message: string,
  details?: ErrorDetail[],
) {
  return reply.status(errorStatus[code]).send({
    error: { code, message, ...(details?.length ? { details } : {}), requestId: request.id },
  });
}

/** The stable code for an HTTP status produced outside Steward's own handlers. */
export function codeForStatus(status: number): ErrorCode {
  const byStatus: Partial<Record<number, ErrorCode>> = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
  };
  return byStatus[status] ?? (status >= 500 ? "INTERNAL" : "BAD_REQUEST");
}

type ZodIssueLike = { path?: PropertyKey[]; message: string; code?: string; keys?: string[] };

function validationDetails(err: FastifyError): ErrorDetail[] {
  const where = (err as { validationContext?: string }).validationContext ?? "body";
  return (err.validation ?? []).flatMap((v) => {
    // fastify-type-provider-zod puts the zod issue's own fields (keys...) in params
    const params = v.params as ({ issue?: ZodIssueLike } & Partial<ZodIssueLike>) | undefined;
    const issue = params?.issue;
    const path = issue?.path?.map(String) ?? v.instancePath.split("/").filter(Boolean);
    const keys = issue?.keys ?? params?.keys;
    if ((issue?.code ?? v.keyword) === "unrecognized_keys" && keys?.length) {
      return keys.map((key) => ({
        field: [where, ...path, key].join("."),
        message: "is not a known field",
      }));
    }
    return { field: [where, ...path].join("."), message: issue?.message ?? v.message ?? "invalid" };
  });
}

/** Errors Fastify raises before routing (an overlong or malformed path), in the API's shape. */
export function frameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header("x-request-id", request.id);
  if (err.code === "FST_ERR_MAX_PARAM_LENGTH") {
    const message = "is longer than any identifier";
    return sendError(reply, request, "VALIDATION_FAILED", `params: ${message}`, [
      { field: "params", message },
    ]);
  }
  if (err.code === "FST_ERR_BAD_URL")
    return sendError(reply, request, "BAD_REQUEST", "url: is not a valid URL");
  request.log.error({ err }, "framework error");
  return sendError(reply, request, "INTERNAL", `internal error; quote request id ${request.id}`);
}

/** Malformed HTTP (a newline in a header...) never reaches a route; it gets the same shape. */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex) {
  if (err.code === "ECONNRESET" || socket.destroyed || !socket.writable) return;
  const [code, message]: [ErrorCode, string] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? ["HEADERS_TOO_LARGE", "headers: are too large"]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? ["REQUEST_TIMEOUT", "the request took too long to arrive"]
        : ["BAD_REQUEST", "the request is not valid HTTP (a forbidden character in a header?)"];
  const requestId = randomUUID();
  const body = JSON.stringify({ error: { code, message, requestId } });
  const status = errorStatus[code];
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

const isUniqueViolation = (e: unknown) => {
  const err = e as { code?: string; message?: string; errcode?: number };
  return err.code === "23505" || /UNIQUE constraint failed/.test(err.message ?? "");
};

/** Answers a request no route matched (the console's pages); false when it did not. */
export type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

export function registerErrors(app: FastifyInstance, fallback?: NotFoundFallback) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = validationDetails(err);
      const first = details[0];
      const message = first ? `${first.field}: ${first.message}` : "invalid request";
      return sendError(reply, request, "VALIDATION_FAILED", message, details);
    }
    if (err instanceof AppError)
      return sendError(reply, request, err.code, err.message, err.details);
    switch (err.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return sendError(
          reply,
          request,
          "PAYLOAD_TOO_LARGE",
          "body: the request body is too large",
        );
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return sendError(reply, request, "UNSUPPORTED_MEDIA_TYPE", "body: send application/json");
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
        return sendError(
          reply,
          request,
          "BAD_REQUEST",
          "body: is empty but the content type is JSON",
        );
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return sendError(reply, request, "BAD_REQUEST", "body: is not valid JSON");
    }
    if (err.statusCode === 429) return sendError(reply, request, "RATE_LIMITED", err.message);
    if (err instanceof SyntaxError && err.statusCode === 400) {
      return sendError(reply, request, "BAD_REQUEST", "body: is not valid JSON");
    }
    if (isUniqueViolation(err)) {
      return sendError(
        reply,
        request,
        "CONFLICT",
        "this already exists (it was created meanwhile)",
      );
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(
        reply,
        request,
        "BAD_REQUEST",
        err.message.replace(/[\r\n]+/g, " ").slice(0, 300),
      );
    }
    if (isDatabaseUnavailable(err)) {
      request.log.error({ err }, "database unavailable");
      return sendError(
        reply,
        request,
        "NOT_READY",
        "the database cannot be reached or written; try again shortly",
      );
    }
    request.log.error({ err }, "unhandled error");
    return sendError(reply, request, "INTERNAL", `internal error; quote request id ${request.id}`);
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (fallback && (await fallback(request, reply))) return reply;
    return sendError(
      reply,
      request,
      "NOT_FOUND",
      `no route ${request.method} ${request.url.split("?")[0]}`,
    );
  });
}
