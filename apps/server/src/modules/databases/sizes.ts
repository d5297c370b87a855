// Sizes (issue 14): the recurring task `database.sizes` asks every server what its databases
// weigh (the inventory action, through the one executor) and keeps each of Steward's databases'
// size on its row and in its history (`database_sizes`); a server that cannot be reached is
// logged and skipped. The history is read newest first, a page at a time.
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import type { HandlerDef } from "../../engine/types.ts";
import type { Execute } from "./executor.ts";
import * as items from "./items-repo.ts";

export const DATABASE_SIZES = "database.sizes";
const none = z.strictObject({});
const PAGE = 100;

export function databaseSizesTask(deps: { db: Db; execute: Execute }): HandlerDef<typeof none> {
  const k = deps.db.db;
  return {
    kind: DATABASE_SIZES,
    description:
      "asks every database server what its databases weigh and keeps each size with its history",
    payload: none,
    timeoutMs: 30 * 60_000,
    maxAttempts: 3,
    userCreatable: true,
    recurring: true,
    system: true,
    unique: () => "default",
    async run(ctx) {
      let after = "";
      let sized = 0;
      let failed = 0;
      for (;;) {
        const servers = await items.serversAfter(k, after, PAGE);
        for (const server of servers) {
          ctx.signal.throwIfAborted();
          const known = await items.databaseNamesOn(k, server.id);
          if (known.length === 0) continue;
          try {
            const found = await deps.execute(server, { kind: "inventory" }, ctx.task.id);
            const bytes = new Map((found.databases ?? []).map((d) => [d.name, d.sizeBytes]));
            const sizes = known.flatMap((d) => {
              const size = bytes.get(d.name);
              return size === undefined ? [] : [{ id: d.id, sizeBytes: size }];
            });
            await items.recordSizes(k, sizes, Date.now());
            sized += sizes.length;
          } catch (error) {
            failed += 1;
            ctx.log.warn(
              `${server.name}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
        if (servers.length < PAGE) break;
        after = servers.at(-1)?.id ?? after;
      }
      ctx.log.info(`sized ${sized} database(s); ${failed} server(s) not reached`);
      return { sized, failed };
    },
  };
}

export function registerDatabaseTasks(registry: Registry, deps: { db: Db; execute: Execute }) {
  registry.register(databaseSizesTask(deps));
}
