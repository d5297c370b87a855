// Session tokens are stored hashed (auth_session.token holds SHA-256 of the token, base64url):
// a copy of the database does not hand out live sessions. better-auth has no option for
// this, so its database adapter is wrapped: every token better-auth writes or looks up in
// the session model is hashed on the way in, and a row found by (or created with) a token
// carries that token again on the way out, so better-auth sees what it would without us
// (the cookie keeps the token itself). Rows listed by other fields carry only the hash,
// and better-auth's endpoints that list sessions are not forwarded (modules/auth/forward.ts).
import { createHash } from "node:crypto";
import type { DBAdapter, DBTransactionAdapter, Where } from "@better-auth/core/db/adapter";

export const hashSessionToken = (token: string) =>
  createHash("sha256").update(token).digest("base64url");

const isSession = (model: string) => model === "session" || model === "auth_session";

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

function wrap<A extends DBTransactionAdapter>(a: A): A {
  return {
    ...a,
    async create(q) {
      const token = (q.data as { token?: unknown }).token;
      if (!isSession(q.model) || typeof token !== "string") return a.create(q);
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
      if (!isSession(q.model)) return a.update(q);
      const { where, raw } = hashWhere(q.where);
      const update = { ...q.update };
      if (typeof update.token === "string") update.token = hashSessionToken(update.token);
      return withToken(await a.update({ ...q, where: where ?? q.where, update }), raw);
    },
    updateMany(q) {
      if (!isSession(q.model)) return a.updateMany(q);
      const update = { ...q.update };
      if (typeof update.token === "string") update.token = hashSessionToken(update.token);
      return a.updateMany({ ...q, where: hashWhere(q.where).where ?? q.where, update });
    },
    delete(q) {
      return a.delete(
        isSession(q.model) ? { ...q, where: hashWhere(q.where).where ?? q.where } : q,
      );
    },
    deleteMany(q) {
      return a.deleteMany(
        isSession(q.model) ? { ...q, where: hashWhere(q.where).where ?? q.where } : q,
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

/** better-auth's adapter, storing session tokens hashed. */
export function hashingSessionTokens(adapter: DBAdapter): DBAdapter {
  return {
    ...wrap(adapter),
    transaction: (cb) => adapter.transaction((trx) => cb(wrap(trx))),
  };
}
