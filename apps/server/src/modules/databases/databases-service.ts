// Databases on Steward's servers: created, listed, shown and deleted through the one executor,
// synchronously (docs/databases.md says why): the row is written only after the server has
// the database, and removed only after the server dropped it. Authorized as managing (or
// reading) the server; every change audited.
import {
  type DatabaseCreate,
  databaseCreateProblems,
  type databaseListQuery,
} from "@steward/contracts/databases";
import type { z } from "zod";
import { databaseServers as policy } from "../../access/policies/database-servers.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { findAccount } from "../accounts/repo.ts";
import type { Execute } from "./executor.ts";
import { fieldProblems, itemFor, mustConfirm, serverFor, serverNames } from "./items.ts";
import * as items from "./items-repo.ts";
import { accountDays, daysSince } from "./sizes.ts";
import * as sizes from "./sizes-repo.ts";

export function createDatabaseItemsService({ db, execute }: { db: Db; execute: Execute }) {
  const k = db.db;
  const find = async (ctx: Ctx, id: string, manage = false) =>
    itemFor(db, ctx, `database ${id}`, await items.findDatabase(k, id), manage);

  return {
    async list(
      ctx: Ctx,
      f: z.infer<typeof databaseListQuery> & { limit: number; cursor?: string },
    ) {
      const walk = items.databaseOrder(f.sort, f.cursor);
      const rows = await items.listDatabases(k, policy.itemScope(ctx, "databases"), {
        ...f,
        walk,
      });
      const servers = await serverNames(db, rows);
      return walk.page(rows, f.limit, (row) =>
        items.toDatabase(
          row,
          servers.get(row.server_id) ?? { id: "", name: "", engine: "mariadb" },
        ),
      );
    },

    async get(ctx: Ctx, id: string) {
      const { row, server } = await find(ctx, id);
      return items.toDatabase(row, server);
    },

    async create(ctx: Ctx, input: DatabaseCreate) {
      const server = await serverFor(db, ctx, input.serverId, true);
      fieldProblems(databaseCreateProblems(server.engine, input));
      if ((await items.databasesNamed(k, server.id, input.name)).length > 0)
        throw conflict(`a database named ${input.name} is already on this server`, "name");
      const { serverId: _, ...options } = input;
      await execute(server, { kind: "createDatabase", ...options });
      const now = Date.now();
      const { name: __, ...asked } = options;
      const row = {
        id: newId("db"),
        server_id: server.id,
        account_id: server.account_id,
        engine: server.engine,
        name: input.name,
        options: JSON.stringify(asked),
        created_at: now,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        await items.insertDatabase(trx, row);
        await recordAudit(
          trx,
          ctx,
          changeOf("database", row.id, "create", { after: input }, server.account_id),
        );
      });
      return this.get(ctx, row.id);
    },

    /** Its size history, newest first; the cursor is the last point's time (ms). */
    async sizes(ctx: Ctx, id: string, page: { limit: number; cursor?: string }) {
      await find(ctx, id);
      const before = page.cursor && /^\d+$/.test(page.cursor) ? Number(page.cursor) : null;
      const rows = await sizes.sizesOf(k, id, before, page.limit + 1);
      const more = rows.length > page.limit;
      const shown = rows.slice(0, page.limit);
      return {
        items: shown.map((r) => ({
          at: new Date(Number(r.at)).toISOString(),
          sizeBytes: Number(r.size_bytes),
        })),
        nextCursor: more ? String(shown.at(-1)?.at ?? "") : null,
      };
    },

    /**
     * An account's databases together: their sizes' sum now and per day over the last 30 days
     * (the account's readers; others are told it does not exist).
     */
    async accountSizes(ctx: Ctx, accountId: string) {
      const account = await findAccount(k, accountId);
      if (!account || !policy.canReadSizesOf(ctx, account.id).allowed)
        throw notFound(`account ${accountId}`);
      const now = Date.now();
      const since = daysSince(now);
      const total = await sizes.accountTotal(k, account.id);
      const points = await sizes.accountPoints(k, account.id, since);
      return {
        accountId: account.id,
        databases: total.databases,
        sizeBytes: total.sizeBytes,
        sizedAt: total.sizedAt === null ? null : new Date(total.sizedAt).toISOString(),
        days: accountDays(points, since, now),
      };
    },

    /** Drops the database on its server (confirm: its name), then forgets it and its grants. */
    async drop(ctx: Ctx, id: string, confirm: string) {
      const { row, server } = await find(ctx, id, true);
      mustConfirm(row.name, confirm);
      await execute(server, { kind: "dropDatabase", name: row.name });
      await k.transaction().execute(async (trx) => {
        await items.deleteDatabase(trx, id);
        await recordAudit(
          trx,
          ctx,
          changeOf("database", id, "delete", { before: { name: row.name } }, row.account_id),
        );
      });
    },
  };
}
