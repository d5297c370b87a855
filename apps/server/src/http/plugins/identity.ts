// Resolves who is calling: an API key (Authorization: Bearer) or a session cookie.

import type { ApiKeyScope } from "@steward/contracts";
import { fromNodeHeaders } from "better-auth/node";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { grantsOf, membershipOf } from "../../access/service.ts";
import type { Actor } from "../../access/types.ts";
import { AppError } from "../../lib/errors.ts";
import { toBool } from "../../lib/sql.ts";
import { scopesOf } from "../../modules/apikeys/repo.ts";
import type { Services } from "../../services.ts";
import { refuseCrossOrigin } from "./same-origin.ts";

async function actorFor(svc: Services, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    if (!m?.[1]) throw new AppError("UNAUTHENTICATED", 'Authorization must be "Bearer <API key>"');
    // one read; a database error propagates (503), it never reads as a bad key
    const r = await svc.verifyApiKey(m[1]);
    if (!r.ok) throw new AppError("UNAUTHENTICATED", r.why);
    const scopes = scopesOf(r.key.metadata) as ApiKeyScope[];
    return {
      type: "api_key",
      userId: r.key.userId,
      email: r.key.email,
      name: r.key.name,
      keyId: r.key.id,
      scopes: scopes.length ? scopes : ["*"],
      sessionId: null,
      ...(await membershipOf(svc.db.db, r.key.userId)),
    };
  }
  if (!request.headers.cookie) return null;
  const session = await sessionOf(svc, request);
  if (!session) return null;
  refuseCrossOrigin(request, svc.consoleOrigins);
  const u = session.user as { id: string; email: string; name: string; disabled?: unknown };
  if (toBool(u.disabled)) return null;
  return {
    type: "user",
    userId: u.id,
    email: u.email,
    name: u.name,
    keyId: null,
    scopes: null,
    sessionId: session.session.id,
    ...(await membershipOf(svc.db.db, u.id)),
  };
}

/**
 * The cookie's session, read without refreshing it (a refresh is a write, and authentication
 * must not depend on one; the refreshed cookie would not reach the client from here anyway).
 * better-auth turns a database error into a 500 of its own: that is a 503 here, never "not
 * signed in".
 */
async function sessionOf(svc: Services, request: FastifyRequest) {
  try {
    return await svc.auth.api.getSession({
      headers: fromNodeHeaders(request.headers),
      query: { disableRefresh: true },
    });
  } catch (err) {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status === "number" && status >= 500) {
      request.log.error({ err }, "the session could not be read");
      throw new AppError("NOT_READY", "the session cannot be checked now; try again shortly");
    }
    throw err;
  }
}

export function registerIdentity(app: FastifyInstance, svc: Services) {
  app.decorateRequest("ctx", undefined as never);
  app.addHook("onRequest", async (request) => {
    request.ctx = { actor: null, grants: [], ip: request.ip, requestId: request.id };
    const config = request.routeOptions.config;
    if (request.url.startsWith("/api/auth/")) {
      // better-auth checks origins too; a cookie's POST is held to the same rule as the API's
      if (request.headers.cookie) refuseCrossOrigin(request, svc.consoleOrigins);
      return;
    }
    if (!request.routeOptions.url) return;
    const actor = await actorFor(svc, request);
    if (actor) {
      request.ctx.actor = actor;
      request.ctx.grants = await grantsOf(svc.db.db, actor);
    } else if (config.auth !== "public") {
      throw new AppError(
        "UNAUTHENTICATED",
        "sign in or send an API key (Authorization: Bearer <key>)",
      );
    }
  });
}
