import { type ErrorCode, type ErrorDetail, errorStatus } from "@steward/contracts";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
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

type ZodIssueLike = { path?: PropertyKey[]; message: string; code?: string; keys?: string[] };

function validationDetails(err: FastifyError): ErrorDetail[] {
  const where = (err as { validationContext?: string }).validationContext ?? "body";
  return (err.validation ?? []).map((v) => {
    const issue = (v.params as { issue?: ZodIssueLike } | undefined)?.issue;
    const path = issue?.path?.map(String) ?? v.instancePath.split("/").filter(Boolean);
    if (issue?.code === "unrecognized_keys" && issue.keys) {
      return {
        field: [where, ...path].join("."),
        message: `unknown field(s): ${issue.keys.join(", ")}`,
      };
    }
    return { field: [where, ...path].join("."), message: issue?.message ?? v.message ?? "invalid" };
  });
}

const isUniqueViolation = (e: unknown) => {
  const err = e as { code?: string; message?: string; errcode?: number };
  return err.code === "23505" || /UNIQUE constraint failed/.test(err.message ?? "");
};

export function registerErrors(app: FastifyInstance) {
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
    request.log.error({ err }, "unhandled error");
    return sendError(reply, request, "INTERNAL", `internal error; quote request id ${request.id}`);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      request,
      "NOT_FOUND",
      `no route ${request.method} ${request.url.split("?")[0]}`,
    ),
  );
}
