// Errors that mean "the database cannot be reached or written right now" (PostgreSQL down or
// restarting, a full or read-only disk under SQLite), as opposed to a bad query. They are a
// 503 for every caller: never a 401 that would tell a client its credentials are wrong.

/** SQLite primary result codes: BUSY, LOCKED, NOMEM, READONLY, IOERR, CORRUPT, FULL, CANTOPEN */
const SQLITE_UNAVAILABLE = new Set([5, 6, 7, 8, 10, 11, 13, 14]);
/** PostgreSQL SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention, 58 system */
const PG_UNAVAILABLE = /^(08|53|57|58)/;
const NODE_NET = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"]);

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const x = e as { code?: unknown; errcode?: unknown; message?: unknown; cause?: unknown };
    if (x.code === "ERR_SQLITE_ERROR" && typeof x.errcode === "number")
      return SQLITE_UNAVAILABLE.has(x.errcode & 0xff);
    if (typeof x.code === "string" && (PG_UNAVAILABLE.test(x.code) || NODE_NET.has(x.code)))
      return true;
    if (
      typeof x.message === "string" &&
      /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
        x.message,
      )
    )
      return true;
    e = x.cause;
  }
  return false;
}
