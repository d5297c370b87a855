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

async function actorFor(svc: Services, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    if (!m?.[1]) throw new AppError("UNAUTHENTICATED", 'Authorization must be "Bearer <API key>"');
    const r = await svc.auth.api.verifyApiKey({ body: { key: m[1] } });
    if (!r.valid || !r.key)
      throw new AppError("UNAUTHENTICATED", "the API key is invalid, revoked or expired");
    const user = await svc.db.db
      .selectFrom("auth_user")
      .select(["id", "email", "name", "disabled"])
      .where("id", "=", r.key.referenceId)
      .executeTakeFirst();
    if (!user || toBool(user.disabled))
      throw new AppError("UNAUTHENTICATED", "the API key's user is disabled");
    const scopes = scopesOf(r.key.metadata) as ApiKeyScope[];
    return {
      type: "api_key",
      userId: user.id,
      email: user.email,
      name: user.name,
      keyId: r.key.id,
      scopes: scopes.length ? scopes : ["*"],
      sessionId: null,
      ...(await membershipOf(svc.db.db, user.id)),
    };
  }
  if (!request.headers.cookie) return null;
  const session = await svc.auth.api.getSession({ headers: fromNodeHeaders(request.headers) });
  if (!session) return null;
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

export function registerIdentity(app: FastifyInstance, svc: Services) {
  app.decorateRequest("ctx", undefined as never);
  app.addHook("onRequest", async (request) => {
    request.ctx = { actor: null, grants: [], ip: request.ip, requestId: request.id };
    const config = request.routeOptions.config;
    if (request.url.startsWith("/api/auth/") || !request.routeOptions.url) return;
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
