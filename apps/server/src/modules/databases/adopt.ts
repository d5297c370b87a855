// Adoption (issue 14): what exists on a server, and which of it Steward knows; existing
// databases and users taken into Steward by name without touching them on the server (an
// adopted user has no known password until it is rotated).
import {
  type DatabaseEngine,
  type DatabaseInventory,
  type databaseAdopt,
  databaseNameProblem,
} from "@steward/contracts/databases";
import type { z } from "zod";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import { invalid } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import type { Execute } from "./executor.ts";
import { serverFor } from "./items.ts";
import * as items from "./items-repo.ts";

/** Each name exists on the server, is not known yet, and passes the one validator. */
function check(
  engine: DatabaseEngine,
  field: "databases" | "users",
  names: string[],
  existing: { name: string; known: string | null }[],
) {
  const kind = field === "databases" ? "database" : "user";
  names.forEach((name, i) => {
    const found = existing.find((e) => e.name === name);
    if (!found) throw invalid(`${field}.${i}`, `there is no ${kind} ${name} on this server`);
    if (found.known) throw invalid(`${field}.${i}`, `${name} is already Steward's`);
    const problem = databaseNameProblem(engine, kind, name);
    if (problem) throw invalid(`${field}.${i}`, `${problem}: Steward cannot manage it`);
  });
}

export function adoption({ db, execute }: { db: Db; execute: Execute }) {
  const k = db.db;

  async function inventory(ctx: Ctx, id: string): Promise<DatabaseInventory> {
    const server = await serverFor(db, ctx, id, true);
    const found = await execute(server, { kind: "inventory" });
    const [databases, users] = await Promise.all([
      items.databaseNamesOn(k, server.id),
      items.userNamesOn(k, server.id),
    ]);
    const known = (rows: { id: string; name: string }[], name: string) =>
      rows.find((r) => r.name === name)?.id ?? null;
    return {
      databases: (found.databases ?? []).map((d) => ({ ...d, known: known(databases, d.name) })),
      users: (found.users ?? []).map((u) => ({ ...u, known: known(users, u.name) })),
    };
  }

  return {
    inventory,

    async adopt(ctx: Ctx, id: string, input: z.output<typeof databaseAdopt>) {
      const server = await serverFor(db, ctx, id, true);
      const existing = await inventory(ctx, id);
      check(server.engine, "databases", input.databases, existing.databases);
      check(server.engine, "users", input.users, existing.users);
      const now = Date.now();
      const common = {
        server_id: server.id,
        account_id: server.account_id,
        engine: server.engine,
        adopted: 1,
        created_at: now,
        updated_at: now,
      };
      const databaseIds = input.databases.map(() => newId("db"));
      const userIds = input.users.map(() => newId("dbu"));
      await k.transaction().execute(async (trx) => {
        for (const [i, name] of input.databases.entries())
          await items.insertDatabase(trx, { id: databaseIds[i] ?? "", name, ...common });
        for (const [i, name] of input.users.entries()) {
          const hosts = existing.users.find((u) => u.name === name)?.hosts ?? [];
          await items.insertUser(
            trx,
            { id: userIds[i] ?? "", name, hosts: JSON.stringify(hosts), ...common },
            [],
          );
        }
        await recordAudit(
          trx,
          ctx,
          changeOf("database-server", server.id, "adopt", { after: input }, server.account_id),
        );
      });
      const databases = await Promise.all(databaseIds.map((d) => items.findDatabase(k, d)));
      const users = await Promise.all(userIds.map((u) => items.findUser(k, u)));
      return {
        databases: databases.flatMap((row) => (row ? [items.toDatabase(row, server)] : [])),
        users: users.flatMap((row) => (row ? [items.toUser(row, server, [])] : [])),
      };
    },
  };
}
