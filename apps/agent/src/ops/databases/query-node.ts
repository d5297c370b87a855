// The node's side of the SQL console: the same runner as the panel's (query.ts: the console's
// check again, read-only transaction, timeout, streamed rows), logged in as the database's
// own user where that user logs in on this node; its errors as the operation's failures
// (QUERY_FAILED: the statement; DATABASE_REFUSED: the login or the connection), the password
// never in a message.
import type { DatabaseQueryInput, QueryPageResult } from "@steward/contracts/databases";
import { type OpContext, OpFailure } from "../types.ts";
import { accessOf, type LocalDatabases, redact } from "./apply.ts";
import { QueryError, queryPage } from "./query.ts";
import type { Place } from "./session.ts";

/** Where the user logs in: the node's own server as its users do, or the external one. */
function placeOf(input: DatabaseQueryInput, local: LocalDatabases | null): Place {
  const { engine, server } = input;
  if (server.kind === "external")
    return { kind: "tcp", host: server.host, port: server.port, tls: server.tls };
  return accessOf({ engine, server }, local).login;
}

/**
 * A page's rows in the operation's answer at most (JSON characters): the answer is one NDJSON
 * line, which the panel reads up to 1 MiB (agents/body.ts); a page of wide rows ends sooner
 * and its cursor continues after its last row.
 */
export const PAGE_BYTES = 768 * 1024;

export async function runConsoleQuery(
  ctx: OpContext,
  input: DatabaseQueryInput,
  local: LocalDatabases | null,
): Promise<QueryPageResult> {
  const place = placeOf(input, local);
  const { statement, window, login } = input;
  try {
    return await ctx.step(`run the statement as ${login.user} on ${login.database}`, () =>
      queryPage(input.engine, place, login, statement, { ...window, maxBytes: PAGE_BYTES }),
    );
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    const message = redact(error.message, [login.password]).slice(0, 2000);
    throw new OpFailure(error.kind === "connection" ? "DATABASE_REFUSED" : "QUERY_FAILED", message);
  }
}
