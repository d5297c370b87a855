// The security headers of every answer (CSP, HSTS, X-Content-Type-Options, frame options...),
// by helmet. They depend on nothing of the request (no nonce), so helmet is asked once, at
// start, what it would set, and each answer gets those values: its middleware computed the
// CSP's text and called a dozen functions for every request (2.7% of the panel's CPU serving
// an admin's sites; @fastify/helmet, which built the middleware for every request, 1.5% more).
import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import helmet from "helmet";

/** What helmet sets on an answer, read from a stand-in response. */
function helmetHeaders(): [string, string][] {
  const apply = helmet({
    // no upgrade-insecure-requests: a panel reached over plain http (a LAN address before
    // TLS is set up) would otherwise ask for its own scripts over https and show nothing
    contentSecurityPolicy: {
      directives: { "script-src": ["'self'"], "upgrade-insecure-requests": null },
    },
  });
  const headers: [string, string][] = [];
  const res = {
    setHeader: (name: string, value: string | number | string[]) => {
      headers.push([name, String(value)]);
      return res;
    },
    removeHeader: () => {},
  };
  let failed: unknown;
  apply({} as never, res as unknown as ServerResponse, (err?: unknown) => {
    failed = err;
  });
  if (failed) throw failed;
  if (headers.length === 0) throw new Error("helmet set no security header");
  return headers;
}

export function registerSecurityHeaders(app: FastifyInstance) {
  const headers = Object.fromEntries(helmetHeaders());
  // Fastify's headers, written with the answer's head (an event stream writes them itself,
  // http/sse.ts): set on the raw answer one by one, as helmet did, each was checked there, and
  // then every header Fastify added was set through the same checks (2.4% of the CPU)
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
