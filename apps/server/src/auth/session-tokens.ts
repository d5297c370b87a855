// Session tokens are stored hashed (auth_session.token holds SHA-256 of the token, base64url):
// a copy of the database does not hand out live sessions. better-auth has no option for
// this, so its database adapter is wrapped: every token better-auth writes or looks up in
// the session model is hashed on the way in, and a row found by (or created with) a token
// carries that token again on the way out, so better-auth sees what it would without us
// (the cookie keeps the token itself). Rows listed by other fields carry only the hash,
// and better-auth's endpoints that list sessions are not forwarded (modules/auth/forward.ts).
// The same wrapper announces better-auth's changes of sessions, users and API keys (sign-out,
// a password change ending sessions, a new name) once they are committed, for the cached
// callers (access/actor-cache.ts).
import { createHash } from "node:crypto";
import { queueAfterTransactionHook } from "@better-auth/core/context";
import type { DBAdapter, DBTransactionAdapter, Where } from "@better-auth/core/db/adapter";

export const hashSessionToken = (token: string) =>
  createHash("sha256").update(token).digest("base64url");

const isSession = (model: string) => model === "session" || model === "auth_session";
/** the models a cached caller (and what it reads of itself, `GET /api/v1/me`) is made of */
const ACTOR_MODELS = new Set(["session", "user", "apikey", "passkey"]);
const isActorModel = (model: string) => ACTOR_MODELS.has(model.replace(/^auth_/, ""));

function hashWhere(where: Where[] | undefined): { where?: Where[]; raw?: string } {
  if (!where) return {};
  let raw: string | undefined;
  const hashed = where.map((w) => {
    if (w.field !== "token") return w;
    if (typeof w.value === "string") {
      if ((w.operator ?? "eq") === "eq") raw = w.value;
      return { ...w, value: hashSessionToken(w.value) };
    }
    if (Array.isArray(w.value))
      return { ...w, value: (w.value as string[]).map((v) => hashSessionToken(String(v))) };
    return w;
  });
  return { where: hashed, raw };
}

function withToken<T>(row: T, raw: string | undefined): T {
  return row && raw !== undefined && typeof row === "object" ? { ...row, token: raw } : row;
}

function wrap<A extends DBTransactionAdapter>(a: A, onChange: () => Promise<void>): A {
  /** runs a write, then announces it after its transaction (at once without one) */
  const announced = async <T>(model: string, write: Promise<T>): Promise<T> => {
    const result = await write;
    if (isActorModel(model)) await queueAfterTransactionHook(onChange);
    return result;
  };
  return {
    ...a,
    async create(q) {
      const token = (q.data as { token?: unknown }).token;
      if (!isSession(q.model)) return announced(q.model, a.create(q));
      if (typeof token !== "string") return a.create(q);
      return withToken(
        await a.create({ ...q, data: { ...q.data, token: hashSessionToken(token) } }),
        token,
      );
    },
    async findOne(q) {
      if (!isSession(q.model)) return a.findOne(q);
      const { where, raw } = hashWhere(q.where);
      return withToken(await a.findOne({ ...q, where: where ?? q.where }), raw);
    },
    findMany(q) {
      return a.findMany(isSession(q.model) ? { ...q, where: hashWhere(q.where).where } : q);
    },
    count(q) {
      return a.count(isSession(q.model) ? { ...q, where: hashWhere(q.where).where } : q);
    },
    async update(q) {
      if (!isSession(q.model)) return announced(q.model, a.update(q));
      const { where, raw } = hashWhere(q.where);
      const update = { ...q.update };
      if (typeof update.token === "string") update.token = hashSessionToken(update.token);
      return withToken(
        await announced(q.model, a.update({ ...q, where: where ?? q.where, update })),
        raw,
      );
    },
    updateMany(q) {
      if (!isSession(q.model)) return announced(q.model, a.updateMany(q));
      const update = { ...q.update };
      if (typeof update.token === "string") update.token = hashSessionToken(update.token);
      return announced(
        q.model,
        a.updateMany({ ...q, where: hashWhere(q.where).where ?? q.where, update }),
      );
    },
    delete(q) {
      return announced(
        q.model,
        a.delete(isSession(q.model) ? { ...q, where: hashWhere(q.where).where ?? q.where } : q),
      );
    },
    deleteMany(q) {
      return announced(
        q.model,
        a.deleteMany(isSession(q.model) ? { ...q, where: hashWhere(q.where).where ?? q.where } : q),
      );
    },
    consumeOne(q) {
      return a.consumeOne(
        isSession(q.model) ? { ...q, where: hashWhere(q.where).where ?? q.where } : q,
      );
    },
    incrementOne(q) {
      return a.incrementOne(
        isSession(q.model) ? { ...q, where: hashWhere(q.where).where ?? q.where } : q,
      );
    },
  };
}

/** better-auth's adapter, storing session tokens hashed; `onChange` after actor changes. */
export function hashingSessionTokens(
  adapter: DBAdapter,
  onChange: () => Promise<void> = async () => {},
): DBAdapter {
  return {
    ...wrap(adapter, onChange),
    transaction: (cb) => adapter.transaction((trx) => cb(wrap(trx, onChange))),
  };
}
