// Sizes (issue 14): the recurring task `database.sizes` asks every server what its databases
// weigh (the inventory action, through the one executor) and keeps each of Steward's databases'
// size on its row and in its history (`database_sizes`); a server that cannot be reached is
// logged and skipped. The history is read newest first, a page at a time; an account's sum per
// day is each of its databases' last size that day, added up (`accountDays`).
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import type { HandlerDef } from "../../engine/types.ts";
import type { Execute } from "./executor.ts";
import * as items from "./items-repo.ts";
import { recordSizes } from "./sizes-repo.ts";

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
            await recordSizes(k, sizes, Date.now());
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

const DAY = 86_400_000;
/** How many days of an account's sum the API answers (today included). */
export const ACCOUNT_DAYS = 30;

/** The first millisecond of the UTC day `days - 1` days before `now`'s. */
export const daysSince = (now: number, days = ACCOUNT_DAYS) =>
  Math.floor(now / DAY) * DAY - (days - 1) * DAY;

/**
 * An account's size per UTC day from its databases' points: each database counts with its
 * last size of that day, or of an earlier day when it was not sized that day; the days begin
 * with the first that has a point.
 */
export function accountDays(
  points: { database_id: string; at: number | string; size_bytes: number | string }[],
  since: number,
  now: number,
) {
  const sorted = points
    .map((p) => ({ id: p.database_id, at: Number(p.at), size: Number(p.size_bytes) }))
    .sort((a, b) => a.at - b.at);
  const latest = new Map<string, number>();
  const days: { day: string; sizeBytes: number }[] = [];
  let next = 0;
  for (let day = since; day <= now; day += DAY) {
    for (; next < sorted.length && (sorted[next]?.at ?? 0) < day + DAY; next++) {
      const point = sorted[next];
      if (point) latest.set(point.id, point.size);
    }
    if (latest.size === 0) continue;
    let sum = 0;
    for (const size of latest.values()) sum += size;
    days.push({ day: new Date(day).toISOString().slice(0, 10), sizeBytes: sum });
  }
  return days;
}

export function registerDatabaseTasks(registry: Registry, deps: { db: Db; execute: Execute }) {
  registry.register(databaseSizesTask(deps));
}
