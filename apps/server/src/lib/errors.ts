import type { ErrorCode, ErrorDetail } from "@steward/contracts";

/** A domain error: a stable code, a message a user can act on, and optional field details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "you are not allowed to do this") =>
  new AppError("FORBIDDEN", message);
export const conflict = (message: string, field?: string) =>
  new AppError("CONFLICT", message, field ? [{ field, message }] : undefined);
export const invalid = (field: string, message: string) =>
  new AppError("VALIDATION_FAILED", `${field}: ${message}`, [{ field, message }]);

/**
 * Steward cannot start on this data (a missing master key, a database it cannot open): the
 * message says what is wrong, where, and what to restore. The CLI prints it and exits 1.
 */
export class StartupError extends Error {}

/** An error's message, or the thrown value in words. */
export const errorText = (error: unknown) =>
  error instanceof Error ? error.message : String(error);
