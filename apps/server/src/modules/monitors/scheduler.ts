// The monitor scheduler (docs/monitors.md): not a task per check. Each panel holds a lease on
// a share of the monitors (claimed when free, renewed while it runs, freed when it stops, so
// one panel runs a given monitor), keeps them on a timing wheel of their next-due times, starts
// each check on its tick with bounded concurrency (its start delay measured), and writes a
// tick's results in one transaction: one insert of every result, each monitor's new state, and
// the events of the state changes (recordMonitorEvents).
import { randomUUID } from "node:crypto";
import type { MonitorCheckSpec } from "@steward/contracts/agent";
import { PANEL_LOCATION } from "@steward/contracts/monitors";
import type { NotificationEvent } from "@steward/contracts/notifications";
import type { ProbeDeps, ProbeResult } from "@steward/probes";
import { loadProbes } from "@steward/probes/types";
import type { Logger } from "pino";
import type { Db } from "../../db/open.ts";
import { saveChecks } from "./checks.ts";
import { recordMonitorEvents } from "./events.ts";
import { type Held, heldOf, JitterLog } from "./held.ts";
import { applyLocated, type Located } from "./located.ts";
import type { NodeChecks } from "./remote.ts";
import * as repo from "./repo.ts";
import { applyResult, DEFAULT_FLAP, type FlapRule } from "./state.ts";
import { TimingWheel } from "./wheel.ts";

export interface SchedulerOptions {
  db: Db;
  log: Logger;
  /** the probe's dependencies of a monitor: its outbound policy (an account's or the installation's) */
  probeDeps: (accountId: string | null) => ProbeDeps;
  /** the console page of a monitor, for events */
  consoleUrl: (id: string) => string | null;
  /** how often due checks start (default 250 ms: a check starts at most this late) */
  tickMs?: number;
  /** how often finished results are written, in one transaction (default 1 s) */
  flushMs?: number;
  leaseMs?: number;
  /** checks running at once */
  concurrency?: number;
  /** monitors claimed per lease pass */
  claimBatch?: number;
  flap?: FlapRule;
  /** the nodes' checks, batched per node and tick (remote.ts); absent: nodes cast no vote */
  nodeChecks?: NodeChecks;
  record?: typeof recordMonitorEvents;
  now?: () => number;
}

interface Done {
  held: Held;
  at: number;
  result: ProbeResult;
  /** each location's result (a monitor checked from several) */
  located?: Located[];
  events: NotificationEvent[];
  /** the state and next time after this result: a later check may change the held ones before this is written */
  status: Held["status"];
  due: number;
}

export type MonitorScheduler = ReturnType<typeof createMonitorScheduler>;

/**
 * The next check after one due at `due` that ended at `at`: an interval later, in the same
 * phase, past `at` (a check that overran its interval skips the times it missed).
 */
export const nextDue = (due: number, interval: number, at: number) =>
  due + (Math.floor(Math.max(0, at - due) / interval) + 1) * interval;

/** A stable spread of monitors over an interval: a number from the id's characters. */
const offsetOf = (id: string) => {
  let n = 0;
  for (const c of id) n = (n * 31 + c.charCodeAt(0)) >>> 0;
  return n;
};

export function createMonitorScheduler(o: SchedulerOptions) {
  const now = o.now ?? Date.now;
  const tickMs = o.tickMs ?? 250;
  const flushMs = o.flushMs ?? Math.max(tickMs, 1000);
  let flushedAt = 0;
  const leaseMs = o.leaseMs ?? 30_000;
  const concurrency = o.concurrency ?? 256;
  const record = o.record ?? recordMonitorEvents;
  const owner = `monitors-${randomUUID()}`;
  const k = o.db.db;
  const held = new Map<string, Held>();
  const wheel = new TimingWheel(tickMs, now());
  const ready: string[] = [];
  const jitter = new JitterLog();
  let pending: Done[] = [];
  let running = 0;
  let checks = 0;
  let timer: NodeJS.Timeout | undefined;
  let leaseTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let stopped = true;

  function hold(row: repo.MonitorRow, changed: boolean) {
    const before = held.get(row.id);
    const entry = heldOf(row, o.probeDeps(row.account_id), o.consoleUrl(row.id), before);
    // a change (settings, resume) is checked at once; a monitor just taken keeps its time,
    // unless it is more than an interval late (the panels were down): then each is checked
    // within the next interval at its own offset, not all of them in the first tick
    const at = now();
    // a check now (service.ts) wrote a newer status, not a change of what to check
    const checkedElsewhere = before !== undefined && entry.checkedAt > before.checkedAt;
    if (changed && !checkedElsewhere) entry.due = Math.min(entry.due, at);
    else if (!before && entry.due < at - entry.intervalMs)
      entry.due = at + (offsetOf(row.id) % entry.intervalMs);
    held.set(row.id, entry);
    if (entry.paused) wheel.remove(row.id);
    else wheel.add(row.id, entry.due);
  }

  async function leasePass() {
    const until = now() + leaseMs;
    const renewed = await repo.renewLeases(k, owner, until);
    const still = new Map(renewed.map((r) => [r.id, Number(r.updated_at)]));
    for (const id of held.keys())
      if (!still.has(id)) {
        held.delete(id);
        wheel.remove(id);
      }
    const changed = renewed.filter((r) => held.get(r.id)?.updatedAt !== Number(r.updated_at));
    for (const row of await repo.monitorsByIds(
      k,
      changed.map((r) => r.id),
    ))
      hold(row, true);
    const max = o.claimBatch ?? 2000;
    const claimed = await repo.claimFree(k, {
      owner,
      now: now(),
      until,
      max,
      postgres: o.db.dialect === "postgres",
    });
    for (const row of claimed) hold(row, false);
  }

  /** The panel's own check (the path of every monitor checked from the panel alone). */
  async function checkHere(entry: Held) {
    const lastPingAt =
      entry.settings.kind === "heartbeat"
        ? ((await repo.findMonitor(k, entry.id))?.last_ping_at ?? null)
        : null;
    const { runProbe } = await loadProbes();
    return runProbe(
      entry.settings,
      {
        timeoutMs: entry.timeoutMs,
        intervalMs: entry.intervalMs,
        lastPingAt: lastPingAt === null ? null : Number(lastPingAt),
      },
      entry.probe,
    );
  }

  /** Each location's result: the panel's here, the nodes' in their tick's batch (remote.ts). */
  const checkEverywhere = (entry: Held): Promise<Located[]> =>
    Promise.all(
      entry.locations.map(async (location) => ({
        location,
        result:
          location === PANEL_LOCATION
            ? await checkHere(entry)
            : ((await o.nodeChecks?.check(location, {
                id: entry.id,
                // a heartbeat has the panel alone (locations.ts): never sent to a node
                settings: entry.settings as MonitorCheckSpec["settings"],
                timeoutMs: entry.timeoutMs,
                allowPrivate: entry.facts.accountId === null,
              })) ?? null),
      })),
    );

  async function check(entry: Held) {
    const started = now();
    jitter.add(Math.max(0, started - entry.due));
    checks++;
    const alone = entry.locations.length === 1 && entry.locations[0] === PANEL_LOCATION;
    const located = alone ? null : await checkEverywhere(entry);
    const here = alone ? await checkHere(entry) : null;
    const at = now();
    const current = held.get(entry.id);
    if (!current) return; // no longer ours: its result is not written
    const flap = o.flap ?? DEFAULT_FLAP;
    const next = located
      ? applyLocated(current.facts, current.status, located, current.failures, {
          quorum: current.quorum,
          at,
          flap,
        })
      : {
          ...applyResult(current.facts, current.status, here as ProbeResult, at, flap),
          result: here as ProbeResult,
        };
    if (located && "failures" in next) current.failures = next.failures;
    current.status = next.status;
    current.checkedAt = at;
    current.due = nextDue(entry.due, current.intervalMs, at);
    if (!current.paused) wheel.add(current.id, current.due);
    pending.push({
      held: current,
      at,
      result: next.result,
      located: located ?? undefined,
      events: next.events,
      status: next.status,
      due: current.due,
    });
  }

  function pump() {
    while (running < concurrency && ready.length) {
      const entry = held.get(ready.shift() as string);
      if (!entry || entry.paused) continue;
      running++;
      void check(entry)
        .catch((err) => o.log.error({ err, monitor: entry.id }, "monitor check failed"))
        .finally(() => {
          running--;
          pump();
        });
    }
  }

  async function flush() {
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    await k.transaction().execute(async (trx) => {
      const ours = await repo.heldBy(
        trx,
        owner,
        batch.map((d) => d.held.id),
      );
      const kept = batch.filter((d) => ours.has(d.held.id));
      await saveChecks(
        trx,
        owner,
        kept.map((d) => ({
          id: d.held.id,
          at: d.at,
          result: d.result,
          located: d.located,
          // the status and due time this result made, not the held ones (a later check may
          // have moved those while this batch waited)
          status: d.status,
          due: d.due,
          events: d.events,
        })),
        record,
      );
    });
  }

  function tick() {
    if (stopped) return;
    ready.push(...wheel.takeDue(now()));
    pump();
    const t = Date.now();
    if (t - flushedAt >= flushMs) {
      flushedAt = t;
      flushing = flushing
        .then(flush)
        .catch((err) => o.log.error({ err }, "writing monitor results failed"));
    }
    timer = setTimeout(tick, tickMs - (t % tickMs));
  }

  async function take(ids: readonly string[]) {
    const at = now();
    for (const row of await repo.claimIds(k, { owner, ids, now: at, until: at + leaseMs }))
      hold(row, true);
  }

  // lease passes and takes under way: stop() waits for them before it frees the leases (one
  // ending after it would hold or renew them again)
  const leasing = new Set<Promise<void>>();
  const tracked = (work: Promise<void>) => {
    leasing.add(work);
    void work.finally(() => leasing.delete(work));
    return work;
  };

  const safeTake = (ids: readonly string[]) =>
    tracked(take(ids).catch((err) => o.log.error({ err }, "taking changed monitors failed")));

  const safeLease = () =>
    tracked(leasePass().catch((err) => o.log.error({ err }, "monitor lease pass failed")));

  return {
    owner,
    async start() {
      if (!stopped) return;
      stopped = false;
      await safeLease();
      leaseTimer = setInterval(safeLease, Math.max(50, Math.floor(leaseMs / 3)));
      tick();
    },
    /**
     * Monitors were created or changed here: take (or reload) them now if free or ours, not at
     * the next pass; without ids, a whole lease pass (a pass per created monitor made creating
     * thousands quadratic: each renewed and read back every lease held)
     */
    poke: (ids?: readonly string[]) =>
      stopped ? Promise.resolve() : ids ? safeTake(ids) : safeLease(),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      clearInterval(leaseTimer);
      while (running > 0) await new Promise((r) => setTimeout(r, 20));
      await Promise.all(leasing);
      await flushing;
      await flush().catch((err) => o.log.error({ err }, "writing monitor results failed"));
      await repo.releaseLeases(k, owner);
      held.clear();
    },
    stats: () => ({
      held: held.size,
      running,
      checks,
      p99JitterMs: jitter.percentile(99),
      maxJitterMs: jitter.percentile(100),
    }),
  };
}
