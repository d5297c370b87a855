// Asking nginx, over HTTP on the node's own address and port, whether each name of a site
// answers as it should (or, after a removal, no longer does). Reloads take effect a moment
// after they return and PHP-FPM re-executes itself on SIGUSR2, so each check is retried
// until it holds or the time is up.
import { request } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AgentConfig } from "../../config.ts";
import { type OpContext, OpFailure } from "../types.ts";
import { UPSTREAM_DOWN_HEADER } from "./render.ts";

export const SUSPENDED_MARKER = "This site is suspended";
const VERIFY_TIMEOUT_MS = 5_000;

/** Asked over HTTPS on this port (the site serves a certificate); plain HTTP when absent. */
type Over = { tls?: number };

export type Expectation = Over &
  /** 200 with exactly this body (a check file the agent put in the document root) */
  (
    | { name: string; path: string; is: "content"; body: string }
    /**
     * the site's own vhost answers: the upstream's answer, or nginx's own 502/504 for it (which
     * proves the routing while the upstream does not answer yet: a warning, not a failure)
     */
    | { name: string; path: string; is: "upstream" }
    /** 503 with the agent's suspended page */
    | { name: string; path: string; is: "suspended" }
    /** 301 to exactly this URL */
    | { name: string; path: string; is: "redirect"; location: string }
  );

interface Answer {
  status: number;
  contentType: string | null;
  location: string | undefined;
  upstreamDown: boolean;
  body: string;
}

function holds(e: Expectation, a: Answer): boolean {
  switch (e.is) {
    case "content":
      return a.status === 200 && a.body === e.body;
    case "upstream":
      return a.status > 0;
    case "suspended":
      return a.status === 503 && a.body.includes(SUSPENDED_MARKER);
    case "redirect":
      return a.status === 301 && a.location === e.location;
  }
}

function describe(e: Expectation, a: Answer | Error): string {
  const got =
    a instanceof Error
      ? `no answer (${a.message})`
      : a.upstreamDown
        ? "nginx's 502: the upstream is unreachable"
        : `${a.status}${a.location ? ` to ${a.location}` : ""}`;
  const want = {
    content: "200 with the agent's check file",
    upstream: "an answer from the upstream",
    suspended: "503 with the suspended page",
    redirect: `301 to ${e.is === "redirect" ? e.location : ""}`,
  }[e.is];
  return `${urlOf(e)} answered ${got}, expected ${want}`;
}

/** Where nginx answers on this node (a wildcard listen address is asked on loopback). */
function target(config: AgentConfig) {
  const a = config.nginx.listenAddress;
  const host = !a || a === "0.0.0.0" || a === "*" ? "127.0.0.1" : a === "[::]" ? "::1" : a;
  return { host: host.replace(/^\[(.*)\]$/, "$1"), port: config.nginx.httpPort };
}

const urlOf = (e: Expectation) => `${e.tls === undefined ? "http" : "https"}://${e.name}${e.path}`;

function get(config: AgentConfig, e: Expectation): Promise<Answer> {
  const t = target(config);
  // over HTTPS the name is also the SNI; the certificate's trust is not what is checked here
  const over =
    e.tls === undefined
      ? { send: request, t }
      : {
          send: httpsRequest,
          t: { ...t, port: e.tls, servername: e.name, rejectUnauthorized: false },
        };
  return new Promise((resolve, reject) => {
    const req = over.send(
      { ...over.t, path: e.path, headers: { host: e.name, connection: "close" }, timeout: 5000 },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          if (body.length < 65536) body += c;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"] ?? null,
            location: res.headers.location,
            upstreamDown: res.headers[UPSTREAM_DOWN_HEADER] !== undefined,
            body,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after 5 s`)));
    req.on("error", reject);
    req.end();
  });
}

/** What nginx answers for a name and path over HTTP on the node (status, content type). */
export async function answerOf(config: AgentConfig, name: string, path: string) {
  const a = await get(config, { name, path, is: "upstream" });
  return { status: a.status, contentType: a.contentType };
}

/** What holds but deserves a look: a proxy site's vhost answers for an upstream that does not. */
function warning(e: Expectation, a: Answer): string | null {
  if (e.is !== "upstream" || !a.upstreamDown) return null;
  return `${urlOf(e)} is routed, but its upstream does not answer yet (nginx answers 502): the site serves once the upstream is up`;
}

/**
 * Checks every expectation (`present`) or that none holds any more (`absent`), retrying
 * for a while; fails naming the first one that did not come true. Returns the warnings of
 * the expectations that hold with one.
 */
export async function verifyAnswers(
  ctx: OpContext,
  list: Expectation[],
  mode: "present" | "absent",
  timeoutMs = VERIFY_TIMEOUT_MS,
): Promise<string[]> {
  const warnings: string[] = [];
  if (list.length === 0) return warnings;
  const label = mode === "present" ? "answers as configured" : "no longer answers as the site";
  await ctx.step(`verify: ${list[0]?.name} ${label} (${list.length} checks)`, async () => {
    const deadline = Date.now() + timeoutMs;
    for (const e of list) {
      for (;;) {
        const a = await get(ctx.config, e).catch((err: Error) => err);
        const ok = a instanceof Error ? mode === "absent" : holds(e, a) === (mode === "present");
        if (ok) {
          const w = mode === "present" && !(a instanceof Error) ? warning(e, a) : null;
          if (w) {
            ctx.log("warn", w);
            warnings.push(w);
          }
          break;
        }
        if (Date.now() > deadline || ctx.signal.aborted)
          throw new OpFailure(
            "VERIFY_FAILED",
            mode === "present" ? describe(e, a) : `${urlOf(e)} still answers as the removed site`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
  return warnings;
}
