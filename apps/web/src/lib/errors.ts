// The API's one error shape, as the console uses it: a message for the form and the
// message of each field, keyed by the field's name without its "body."/"query." prefix.
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    requestId?: string;
    details?: { field: string; message: string }[];
  };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly fields: Record<string, string>;
  /** every message of each field (a zone file's refused lines are several of one field) */
  readonly allFields: Record<string, string[]>;

  constructor(status: number, body: Partial<ApiErrorBody> | undefined) {
    const e = body?.error;
    super(e?.message ?? `The server answered ${status}.`);
    this.status = status;
    this.code = e?.code ?? (status >= 500 ? "INTERNAL" : "HTTP_ERROR");
    this.requestId = e?.requestId;
    this.fields = {};
    this.allFields = {};
    for (const d of e?.details ?? []) {
      const name = d.field.replace(/^(body|querystring|query|params)\.?/, "") || d.field;
      this.fields[name] ??= d.message;
      this.allFields[name] = [...(this.allFields[name] ?? []), d.message];
    }
  }
}

/** The message to show for anything thrown while talking to the API. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status >= 500 && error.requestId) {
      return `${error.message} (request ${error.requestId})`;
    }
    return error.message;
  }
  if (error instanceof TypeError) return "The server cannot be reached. Check your connection.";
  return error instanceof Error ? error.message : String(error);
}

/** The error of one field, if the API named it. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fields[field] : undefined;
}

/** Every error of one field, one a line (a zone file's refused lines). */
export function fieldErrors(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.allFields[field]?.join("\n") : undefined;
}

/**
 * The error to show above the form's button: none when every field it names is shown at
 * its field already, so a message is never said twice.
 */
export function unshownError(error: unknown, shown: string[]): unknown {
  if (!(error instanceof ApiError)) return error;
  const fields = Object.keys(error.fields);
  return fields.length > 0 && fields.every((f) => shown.includes(f)) ? null : error;
}
