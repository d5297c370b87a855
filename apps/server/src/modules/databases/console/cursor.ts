// The console's page cursor: how many rows the next page passes over, tied to the statement
// it pages (a cursor of another statement is refused). Opaque to clients.
import { createHash } from "node:crypto";
import { invalid } from "../../../lib/errors.ts";

/** a statement: its text and the values it is run with */
interface Paged {
  sql: string;
  params: unknown[];
}

const digest = (statement: Paged) =>
  createHash("sha256")
    .update(JSON.stringify([statement.sql, statement.params]))
    .digest("base64url")
    .slice(0, 16);

export const encodeCursor = (statement: Paged, skip: number) =>
  Buffer.from(JSON.stringify([skip, digest(statement)])).toString("base64url");

/** The rows to pass over; 0 without a cursor. */
export function decodeCursor(statement: Paged, cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const bad = () =>
    invalid("body.cursor", "must be the nextCursor of this statement's previous page");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [skip, hash] = parsed as unknown[];
  if (
    typeof skip !== "number" ||
    !Number.isSafeInteger(skip) ||
    skip < 1 ||
    hash !== digest(statement)
  )
    throw bad();
  return skip;
}
