// Cross-site request forgery: a cookie is sent by the browser whoever wrote the page, so a
// state-changing request authenticated by one must show it comes from the panel's own pages:
// an Origin that is the panel's public URL (or a loopback address of it when no public URL
// is set), or, without Origin, Sec-Fetch-Site: same-origin. A page on another origin of the
// same site (another port, a sibling subdomain) gets the SameSite=Lax cookie but not this.
// API keys are exempt: a browser never attaches one on its own.
import type { FastifyRequest } from "fastify";
import { AppError } from "../../lib/errors.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function refuseCrossOrigin(request: FastifyRequest, origins: readonly string[]) {
  if (SAFE.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (origins.includes(origin)) return;
  } else if (request.headers["sec-fetch-site"] === "same-origin") return;
  throw new AppError(
    "FORBIDDEN",
    `a change signed in with a cookie must come from the console: Origin must be ${origins[0]}`,
  );
}
