// One spelling per API path. Clients and proxies normalise paths in different ways (better-auth
// resolves "./" and "../", some proxies decode "%2F"), so a path that could be read two ways
// is refused before any hook or handler looks at it: rules keyed on the path (the sign-in
// throttle, the forwarded better-auth endpoints, audit actions) see what is executed.
import type { FastifyInstance } from "fastify";
import { sendError } from "./errors.ts";

/** Why a request path under /api/ is not canonical, or null when it is. */
export function nonCanonical(url: string): string | null {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.startsWith("/api/")) return null;
  if (/[#\\]/.test(path)) return 'must not contain "#" or "\\"';
  if (/%(2e|2f|5c)/i.test(path)) return "must not encode dots, slashes or backslashes";
  const segments = path.split("/").slice(1);
  if (segments.some((s) => s === "")) return 'must not contain "//" or end with "/"';
  if (segments.some((s) => s === "." || s === "..")) return 'must not contain "." or ".." segments';
  return null;
}

/** The first onRequest hook: non-canonical /api/ paths are a 400 naming the path. */
export function registerCanonicalPath(app: FastifyInstance) {
  app.addHook("onRequest", async (request, reply) => {
    const why = nonCanonical(request.raw.url ?? "");
    if (why)
      return sendError(reply, request, "BAD_REQUEST", `path: ${why}`, [
        { field: "path", message: why },
      ]);
  });
}
