// One HTTP request to a target a user chose (a notification channel, a monitor's check from
// the panel or a node's agent), under the outbound (SSRF) policy at connect time: the host is
// resolved once, every address is checked (./outbound.ts checkTarget), and the connection goes to
// the checked address, never to the name again (no DNS rebinding between check and connect).
// A redirect is followed only when it keeps the method and body (307, 308), at most three
// times, each hop checked the same way; a deadline covers the whole exchange and the answer
// is read up to a size cap.
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { type OutboundPolicy, parseUrlTarget, type Target } from "@steward/contracts/net";
import { checkTarget, type Resolve } from "./outbound.ts";

export interface OutboundOptions {
  policy: OutboundPolicy;
  /** whose policy it is, in messages ("this panel") */
  who: string;
  /** the panel machine's own addresses, for the policy's "local" endpoints */
  localAddresses?: readonly string[];
  resolve?: Resolve;
  /** the deadline of the whole exchange, redirects included (default 10 s) */
  timeoutMs?: number;
  /** the answer is read up to this many bytes (default 64 KiB) */
  maxBytes?: number;
  /** extra trusted CA certificates (PEM), for tests against a local TLS server */
  ca?: string;
}

export interface OutboundCall {
  /** the input field the URL came from, named in refusals */
  field: string;
  method: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** headers not sent on a redirect to another origin (default: authorization) */
  credentialHeaders?: readonly string[];
  /**
   * which redirects are followed: "preserving" (default) only 307 and 308, which keep the
   * method and body; "all" also 301, 302 and 303, as a browser does (a GET without a body,
   * except that 301 and 302 keep GET and HEAD); "none": the redirect is the answer
   */
  redirects?: "preserving" | "all" | "none";
}

export interface OutboundAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** the same answer as bytes (an image, a font: what a browser's request gets) */
  bytes: Buffer;
  /** the answer was longer than maxBytes */
  truncated: boolean;
}

/** The policy refused the target (or a redirect's): the message names the field. */
export class OutboundRefused extends Error {
  constructor(field: string, why: string) {
    super(`${field}: ${why}`);
  }
}

const MAX_REDIRECTS = 3;

export async function outboundRequest(
  call: OutboundCall,
  options: OutboundOptions,
): Promise<OutboundAnswer> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let current = call;
  for (let hop = 0; ; hop++) {
    const answer = await exchange(current, options, deadline, hop > 0);
    const location = answer.headers.location;
    const follow = followed(call.redirects ?? "preserving", answer.status);
    if (!follow || !location) return answer;
    if (hop === MAX_REDIRECTS)
      throw new OutboundRefused(call.field, `more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, current.url);
    const sameOrigin = next.origin === new URL(current.url).origin;
    const drop = new Set((call.credentialHeaders ?? ["authorization"]).map((h) => h.toLowerCase()));
    const headers = sameOrigin
      ? current.headers
      : Object.fromEntries(
          Object.entries(current.headers).filter(([k]) => !drop.has(k.toLowerCase())),
        );
    current = { ...current, url: next.toString(), headers };
    if (follow === "get" && current.method !== "GET" && current.method !== "HEAD")
      current = { ...current, method: "GET", body: undefined };
  }
}

/** How a redirect status is followed under `redirects`: as it is, as a GET, or not (null). */
function followed(redirects: OutboundCall["redirects"], status: number): "same" | "get" | null {
  if (redirects === "none") return null;
  if (status === 307 || status === 308) return "same";
  if (redirects === "all" && status >= 301 && status <= 303) return "get";
  return null;
}

type PolicyOptions = Pick<OutboundOptions, "policy" | "who" | "localAddresses" | "resolve">;

/**
 * The address to connect to for `target`: its first, once every address it has passed the
 * policy; else the error `refuse` makes of why not. Connect to it, never to the name again.
 */
export async function checkedAddress(
  target: Target,
  options: PolicyOptions,
  refuse: (why: string) => Error,
): Promise<string> {
  const { addresses, why } = await checkTarget(
    options.policy,
    target,
    options.who,
    options.localAddresses,
    options.resolve,
  );
  if (why) throw refuse(why);
  const address = addresses?.[0];
  if (!address) throw refuse(`${target.host} does not resolve to any address`);
  return address;
}

async function exchange(
  call: OutboundCall,
  options: OutboundOptions,
  deadline: number,
  redirected: boolean,
): Promise<OutboundAnswer> {
  const refuse = (why: string) =>
    new OutboundRefused(call.field, redirected ? `redirected to ${call.url}: ${why}` : why);
  const target = parseUrlTarget(call.url);
  if (typeof target === "string") throw refuse(target);
  const address = await checkedAddress(target, options, refuse);
  const url = new URL(call.url);
  const body = call.body ?? "";
  const request = (target.scheme === "https" ? https : http).request({
    host: address,
    port: target.port,
    path: `${url.pathname}${url.search}`,
    method: call.method,
    headers: { ...call.headers, host: url.host, "content-length": String(Buffer.byteLength(body)) },
    servername: target.ip ? undefined : target.host,
    ca: options.ca,
    agent: false,
  });
  return await new Promise<OutboundAnswer>((resolve, reject) => {
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms`)),
      Math.max(0, deadline - Date.now()),
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    request.on("error", fail);
    request.on("response", (response) => {
      const max = options.maxBytes ?? 65_536;
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (truncated: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        const bytes = Buffer.concat(chunks);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: bytes.toString("utf8"),
          bytes,
          truncated,
        });
        if (truncated) response.destroy();
      };
      response.on("data", (chunk: Buffer) => {
        if (done) return;
        chunks.push(chunk.subarray(0, max - size));
        size += chunk.length;
        if (size > max) finish(true);
      });
      response.on("end", () => finish(false));
      response.on("error", (error) => done || fail(error));
      response.on("close", () => done || fail(new Error("the connection closed mid-answer")));
    });
    request.end(body);
  });
}
