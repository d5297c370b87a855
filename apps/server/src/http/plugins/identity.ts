// Resolves who is calling: an API key (Authorization: Bearer) or a session cookie. The
// resolved caller (user, groups, grants; a key's scopes) comes from svc.actors, a short-lived
// cache keyed by the credential's hash: a known credential costs no database round trip, and
// a change of any of it is seen by the next request (access/actor-changes.ts).
import type { ApiKeyScope } from "@steward/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ResolvedActor } from "../../access/actor-cache.ts";
import { grantsOf, membershipOf } from "../../access/service.ts";
import type { Actor } from "../../access/types.ts";
import { hashSessionToken } from "../../auth/session-tokens.ts";
import { AppError } from "../../lib/errors.ts";
import { toBool } from "../../lib/sql.ts";
import { scopesOf } from "../../modules/apikeys/repo.ts";
import { hashApiKey } from "../../modules/apikeys/verify.ts";
import { deleteExpiredSession, findSessionForAuth } from "../../modules/users/repo.ts";
import type { Services } from "../../services.ts";
import { refuseCrossOrigin } from "./same-origin.ts";

/** The caller's groups and grants added to who it is: two reads, on a cache miss only. */
async function withAccess(
  svc: Services,
  who: Omit<Actor, "groupIds" | "isSuper">,
  expiresAt: number | null,
): Promise<ResolvedActor> {
  const actor: Actor = { ...who, ...(await membershipOf(svc.db.db, who.userId)) };
  return { actor, grants: await grantsOf(svc.db.db, actor), expiresAt };
}

async function keyCaller(svc: Services, key: string): Promise<ResolvedActor> {
  let why = "the API key is invalid, revoked or expired";
  const resolved = await svc.actors.resolve(`key:${hashApiKey(key)}`, async () => {
    // one read; a database error propagates (503), it never reads as a bad key
    const r = await svc.verifyApiKey(key);
    if (!r.ok) {
      why = r.why;
      return null;
    }
    const scopes = scopesOf(r.key.metadata) as ApiKeyScope[];
    return withAccess(
      svc,
      {
        type: "api_key",
        userId: r.key.userId,
        email: r.key.email,
        name: r.key.name,
        keyId: r.key.id,
        scopes: scopes.length ? scopes : ["*"],
        sessionId: null,
      },
      r.key.expiresAt,
    );
  });
  if (!resolved) throw new AppError("UNAUTHENTICATED", why);
  if (resolved.actor.keyId) svc.verifyApiKey.recordUse(resolved.actor.keyId);
  return resolved;
}

/**
 * The cookie's session, as better-auth's getSession reads it with refresh turned off (a
 * refresh is a write, and authentication must not depend on one): a validly signed token
 * whose session has not expired, of a user who is not disabled. An expired session is deleted
 * when its cookie comes back, as getSession does. A database error is a 503 (db/unavailable.ts), never "not signed in".
 */
async function sessionCaller(svc: Services, cookie: string): Promise<ResolvedActor | null> {
  const token = await svc.sessionTokenOf(cookie);
  if (!token) return null;
  const hash = hashSessionToken(token);
  return svc.actors.resolve(`session:${hash}`, async () => {
    const row = await findSessionForAuth(svc.db.db, hash);
    if (!row || toBool(row.disabled)) return null;
    const expiresAt = new Date(row.expiresAt as string | Date).getTime();
    if (expiresAt < Date.now()) {
      // the one write of authentication, once per expired session that comes back
      await deleteExpiredSession(svc.db.db, row.id);
      return null;
    }
    const user = { userId: row.userId, email: row.email, name: row.name };
    // better-auth keeps a session until it is past its expiry (not at it): +1 ms
    return withAccess(
      svc,
      { ...user, type: "user", keyId: null, scopes: null, sessionId: row.id },
      expiresAt + 1,
    );
  });
}

async function callerOf(svc: Services, request: FastifyRequest): Promise<ResolvedActor | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    if (!m?.[1]) throw new AppError("UNAUTHENTICATED", 'Authorization must be "Bearer <API key>"');
    return keyCaller(svc, m[1]);
  }
  if (!request.headers.cookie) return null;
  const caller = await sessionCaller(svc, request.headers.cookie);
  if (caller) refuseCrossOrigin(request, svc.consoleOrigins);
  return caller;
}

export function registerIdentity(app: FastifyInstance, svc: Services) {
  app.decorateRequest("ctx", undefined as never);
  app.addHook("onClose", () => svc.actors.close());
  app.addHook("onRequest", async (request) => {
    request.ctx = { actor: null, grants: [], ip: request.ip, requestId: request.id };
    const config = request.routeOptions.config;
    if (request.url.startsWith("/api/auth/")) {
      // better-auth checks origins too; a cookie's POST is held to the same rule as the API's
      if (request.headers.cookie) refuseCrossOrigin(request, svc.consoleOrigins);
      return;
    }
    if (!request.routeOptions.url) return;
    const caller = await callerOf(svc, request);
    if (caller) {
      request.ctx.actor = caller.actor;
      request.ctx.grants = caller.grants;
    } else if (config.auth !== "public") {
      throw new AppError(
        "UNAUTHENTICATED",
        "sign in or send an API key (Authorization: Bearer <key>)",
      );
    }
  });
}
