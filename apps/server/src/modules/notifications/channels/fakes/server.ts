// A strict recording fake of a provider's HTTP API for tests: a real HTTP server on
// 127.0.0.1 that records every request, checks it against the provider's documented format
// (the method, path, headers and body shape each fake declares) and answers the way the
// provider does, its error answers included. A request the provider would refuse is recorded
// in `problems` as well, so a test fails on it even when the sender took the error well.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_POLICY } from "@steward/contracts/net";
import type { RenderedMessage } from "@steward/contracts/notifications";
import type { z } from "zod";
import type { SendDeps } from "../http.ts";

export interface Recorded {
  method: string;
  /** path and query, as sent */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  /** an object is sent as JSON */
  body?: string | object;
  headers?: Record<string, string>;
}

export type Handler = (request: Recorded, fake: Fake) => Answer;

export interface Fake {
  /** http://127.0.0.1:port */
  url: string;
  requests: Recorded[];
  /** what the provider would have refused, in words */
  problems: string[];
  close(): Promise<void>;
}

export async function startFake(handle: Handler): Promise<Fake> {
  const requests: Recorded[] = [];
  const problems: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const answer = handle(recorded, fake);
      const isText = typeof answer.body === "string";
      const type = isText ? "text/plain; charset=utf-8" : "application/json";
      res.writeHead(answer.status, { "content-type": type, ...answer.headers });
      res.end(answer.body === undefined ? "" : isText ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake: Fake = {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return fake;
}

/** The body parsed with the provider's documented shape, or null with the problem recorded. */
export function parseBody<T>(fake: Fake, schema: z.ZodType<T>, raw: unknown): T | null {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  fake.problems.push(
    parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
  );
  return null;
}

/** JSON of a body, or undefined with the problem recorded. */
export function jsonBody(fake: Fake, request: Recorded): unknown {
  if (!String(request.headers["content-type"]).startsWith("application/json"))
    fake.problems.push(`content-type is ${request.headers["content-type"]}, not application/json`);
  try {
    return JSON.parse(request.body);
  } catch {
    fake.problems.push("the body is not JSON");
    return undefined;
  }
}

/** Records a problem with the request (the provider would refuse it). */
export function problem(fake: Fake, what: string): void {
  fake.problems.push(what);
}

/**
 * The test-only policy that lets a sender reach the fakes: the production policy (no private,
 * loopback or link-local addresses) plus 127.0.0.1 alone, as an installation's allow list
 * would add it. Nothing else on loopback (127.0.0.2, ::1) is allowed.
 */
export const fakeDeps = (extra: Partial<SendDeps> = {}): SendDeps => ({
  policy: { ...DEFAULT_POLICY, allow: ["127.0.0.1/32"] },
  localAddresses: [],
  timeoutMs: 5000,
  ...extra,
});

/** A message as the templates render one, with what must stay inert in every format. */
export const MESSAGE: RenderedMessage = {
  subject: "Site shop.example.com failed",
  text: "The site shop.example.com failed on node web-1: nginx -t refused the configuration.",
  markdown: "The site **shop.example.com** failed on node `web-1`.",
  html: "<p>The site <strong>shop.example.com</strong> failed on node <code>web-1</code>.</p>",
  severity: "critical",
  url: "https://panel.example.com/sites/site_1",
};

/** The secrets among `values` that a result still shows (none, when redaction works). */
export const leaked = (result: unknown, values: readonly string[]) =>
  values.filter((v) => JSON.stringify(result).includes(v));
