// What the databases' and users' services share: the server an item is on, read and
// authorized (managing items is managing the server), and a page's rows with their servers'
// names.

import type { FieldProblem } from "@steward/contracts/databases";
import { enforce } from "../../access/decision.ts";
import { databaseServers as policy } from "../../access/policies/database-servers.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { AppError, invalid, notFound } from "../../lib/errors.ts";
import * as items from "./items-repo.ts";
import * as repo from "./repo.ts";

/** The server, refused as "not found" when the actor cannot see it. */
export async function serverFor(db: Db, ctx: Ctx, id: string, manage: boolean) {
  const row = await repo.findServer(db.db, id);
  if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`database server ${id}`);
  if (manage) enforce(ctx, policy.canManage(ctx, row));
  return row;
}

/** An item (database or user) and its server, both authorized. */
export async function itemFor<T extends { server_id: string; account_id: string | null }>(
  db: Db,
  ctx: Ctx,
  what: string,
  row: T | undefined,
  manage: boolean,
) {
  const server = row ? await repo.findServer(db.db, row.server_id) : undefined;
  if (!row || !server || !policy.canRead(ctx, server).allowed) throw notFound(what);
  if (manage) enforce(ctx, policy.canManage(ctx, server));
  return { row, server };
}

/** The servers of a page's rows, by id. */
export async function serverNames(db: Db, rows: { server_id: string }[]) {
  const servers = await items.serversOf(
    db.db,
    rows.map((r) => r.server_id),
  );
  return new Map(servers.map((s) => [s.id, s]));
}

/** A delete names the item again (`confirm`), else nothing happens. */
export function mustConfirm(name: string, confirm: string) {
  if (confirm !== name) throw invalid("confirm", `must be the name (${name}) typed again`);
}

/** What the engine refuses of an input, as one 400 naming every field. */
export function fieldProblems(problems: FieldProblem[]) {
  const first = problems[0];
  if (!first) return;
  throw new AppError(
    "VALIDATION_FAILED",
    `${first.path.join(".")}: ${first.message}`,
    problems.map((p) => ({ field: p.path.join("."), message: p.message })),
  );
}
