// Helpers of the hostile-input tests: a raw HTTP client for what fetch refuses to send, and
// a summary of an error answer that a test compares with what it expects.
import { connect } from "node:net";
import { type ErrorCode, errorBody, errorStatus } from "@steward/contracts";

export const SQL = ["' or 1=1--", '"; drop table accounts;--'] as const;
export const CONTROL = ["a\nb", "a\r\nb", "a\u0000b"] as const;
export const LONG = "x".repeat(10_000);
export const enc = encodeURIComponent;
/**
 * What no name-like field takes: SQL, control characters, the field's own `bad` values, too
 * long, not a string.
 */
export const badNames = (...bad: unknown[]) => [...SQL, ...CONTROL, ...bad, LONG, 5, null];

/** A body sent as is, with its content type. */
export class Raw {
  readonly contentType: string;
  readonly text: string;
  constructor(contentType: string, text: string) {
    this.contentType = contentType;
    this.text = text;
  }
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** What an error answer says, reduced to what a test asserts. */
export function refusal(res: Answer, field: string) {
  const parsed = errorBody.safeParse(res.body);
  if (!parsed.success) return { status: res.status, shape: "not an error body" };
  const e = parsed.data.error;
  const named =
    field === "" ||
    (e.details ?? []).some((d) => d.field === field) ||
    e.message.startsWith(`${field}:`);
  return {
    status: res.status,
    code: e.code,
    statusOfCode: errorStatus[e.code as ErrorCode],
    names: named ? field : `${e.message} ${JSON.stringify(e.details ?? [])}`,
    requestId: e.requestId === res.headers.get("x-request-id") ? "echoed" : e.requestId,
  };
}

export const expected = (status: number, code: ErrorCode, field: string) => ({
  status,
  code,
  statusOfCode: status,
  names: field,
  requestId: "echoed",
});

/**
 * Sends bytes fetch would refuse (a newline in a header...) and parses the answer. With
 * `halfClose: false` the socket stays open for writing until the server closes it (Node's
 * server aborts a request still in progress when the client half-closes).
 */
export function rawHttp(url: string, request: string, halfClose = true): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      halfClose ? socket.end(request) : socket.write(request),
    );
    const chunks: Buffer[] = [];
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const [head = "", body = ""] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers = new Headers();
      for (const line of lines) {
        const i = line.indexOf(":");
        headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
      }
      let parsed: unknown = body;
      try {
        parsed = JSON.parse(body);
      } catch {}
      resolve({ status: Number(statusLine.split(" ")[1]), body: parsed, headers });
    });
  });
}
