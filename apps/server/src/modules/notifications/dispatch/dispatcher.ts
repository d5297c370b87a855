// The dispatcher (docs/notifications.md, "Dispatch"): one per installation, the panel process
// holding its lease. Woken by each recorded event (subscribeEvents) and polling besides (events
// of another process on SQLite are not heard), it reads the events after its cursor, and again
// those of the last seconds it has not dispatched (ids are made before commit, so a late commit
// may land behind the cursor: on PostgreSQL as far back as the oldest transaction still open
// began), plans each (plan.ts), and in ONE transaction records the
// deliveries, their tasks, what it dispatched and the new cursor: a panel stopping between
// loses nothing and sends nothing twice.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Db } from "../../../db/open.ts";
import type { TaskSpec } from "../../../engine/types.ts";
import { idAt } from "../../../lib/ids.ts";
import { subscribeEvents } from "../../events/record.ts";
import { EVENT_ID, eventsAfter, eventsBetween } from "../../events/repo.ts";
import { getSetting } from "../../settings/repo.ts";
import type { RuleCache } from "../rules/cache.ts";
import { planEvent } from "./plan.ts";
import * as repo from "./repo.ts";

/** the installation setting naming the emergency contact's channel */
export const EMERGENCY_SETTING = "notifications.emergency_channel";

export interface DispatcherOptions {
  pollMs: number;
  leaseMs: number;
  /** how far behind its cursor the dispatcher reads again */
  lagMs: number;
  batch: number;
}

export const defaultDispatcherOptions: DispatcherOptions = {
  pollMs: 1_000,
  leaseMs: 15_000,
  lagMs: 5_000,
  batch: 200,
};

export interface DispatcherDeps {
  db: Db;
  rules: RuleCache;
  enqueue(spec: TaskSpec, trx: Parameters<typeof planEvent>[0]): Promise<unknown>;
  log: Logger;
  listenUrl?: string;
}

export function createDispatcher(deps: DispatcherDeps, opts = defaultDispatcherOptions) {
  const k = deps.db.db;
  const owner = randomUUID();
  let timer: NodeJS.Timeout | null = null;
  let sub: ReturnType<typeof subscribeEvents> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  /** the latest due time per rule and channel, across batches (plan.ts keeps their order) */
  const lastDue = new Map<string, number>();
  /** the last batch's mark: every event made before it was visible then (ms) */
  let lastMark: number | null = null;

  /** One batch in one transaction; the number of events read. */
  async function batch(): Promise<number> {
    const now = Date.now();
    const rules = await deps.rules.rules(now);
    const emergencyChannel = (await getSetting(k, EMERGENCY_SETTING)) ?? null;
    const postgres = deps.db.dialect === "postgres";
    let mark = now;
    const read = await k.transaction().execute(async (trx) => {
      const held = await repo.cursorOf(trx, owner);
      if (held === undefined) return 0;
      // an event not committed yet was made after its transaction began: every event before
      // the oldest open one's start (less the lag: the database's clock may differ a little)
      // is visible now; those since the last batch's mark are read again
      const open = await repo.oldestOpenSince(trx, postgres);
      mark = Math.min(now, open ?? now) - opts.lagMs;
      const floorAt = Math.min(lastMark ?? mark, mark);
      const floor = idAt(EVENT_ID, floorAt);
      // a first start begins with the events of the last seconds, not the whole history
      const cursor = held || floor;
      const behind = floor < cursor ? await eventsBetween(trx, floor, cursor, 10 * opts.batch) : [];
      const seen = await repo.dispatchedAmong(
        trx,
        behind.map((e) => e.id),
      );
      // an event made after an open transaction began waits for it (at most the lag), so one
      // committing a little late is still planned before the later ones: the outbox's order
      const horizon = idAt(EVENT_ID, Math.max(open ?? now, now - opts.lagMs));
      const after = await eventsAfter(trx, cursor, opts.batch);
      const waiting = after.findIndex((e) => e.id >= horizon);
      const fresh = waiting < 0 ? after : after.slice(0, waiting);
      const events = [...behind.filter((e) => !seen.has(e.id)), ...fresh];
      const ctx = { rules, emergencyChannel, now, enqueue: deps.enqueue, lastDue };
      for (const row of events) await planEvent(trx, row, ctx);
      await repo.markDispatched(
        trx,
        events.map((e) => e.id),
      );
      await repo.pruneDispatched(trx, idAt(EVENT_ID, floorAt - opts.lagMs));
      const last = fresh.at(-1)?.id;
      const next = last ?? cursor;
      if (next !== held) await repo.moveCursor(trx, owner, next);
      return fresh.length;
    });
    lastMark = mark;
    return read;
  }

  async function tick() {
    for (const [key, due] of lastDue) if (due < Date.now() - 60_000) lastDue.delete(key);
    try {
      if (!(await repo.takeLease(k, owner, Date.now(), opts.leaseMs))) return;
      while ((await batch()) >= opts.batch) {}
    } catch (err) {
      deps.log.error({ err }, "notification dispatch failed");
    }
  }

  /** Runs a tick now, or once more after the running one. */
  function wake() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await tick();
      } while (again);
      running = null;
    })();
    return running;
  }

  return {
    start() {
      if (timer) return;
      sub = subscribeEvents(() => void wake(), { listenUrl: deps.listenUrl });
      timer = setInterval(() => void wake(), opts.pollMs);
      void wake();
    },
    /** dispatches what is there now (tests, the bench) */
    drain: () => wake(),
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await sub?.close();
      sub = null;
      await running;
      await repo.releaseLease(k, owner).catch(() => {});
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
