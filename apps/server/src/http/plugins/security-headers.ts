// The security headers of every answer (CSP, HSTS, X-Content-Type-Options, frame options...),
// by helmet. Its middleware is built once: @fastify/helmet built it again for every request
// (parsing the CSP directives each time), 1.5% of the panel's CPU under load.
import type { FastifyInstance } from "fastify";
import helmet from "helmet";

export function registerSecurityHeaders(app: FastifyInstance) {
  const apply = helmet({
    // no upgrade-insecure-requests: a panel reached over plain http (a LAN address before
    // TLS is set up) would otherwise ask for its own scripts over https and show nothing
    contentSecurityPolicy: {
      directives: { "script-src": ["'self'"], "upgrade-insecure-requests": null },
    },
  });
  app.addHook("onRequest", (request, reply, done) =>
    apply(request.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
}
