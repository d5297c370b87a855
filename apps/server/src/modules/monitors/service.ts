// Monitors through the API and the CLI: each request authorized by the monitors policy,
// targets checked by the outbound policy at input, every change audited in its transaction.
// The scheduler (./scheduler.ts) runs the checks; a change here is picked up by the panel
// holding the monitor (at once in this process, within a lease pass in another).
import {
  type MonitorCreate,
  type MonitorSettings,
  type MonitorUpdate,
  type monitorListQuery,
  monitorSettings,
  PANEL_LOCATION,
  type SeriesRange,
} from "@steward/contracts/monitors";
import type { ProbeDeps } from "@steward/probes";
import { loadProbes } from "@steward/probes/types";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { type MonitorRef, monitors } from "../../access/policies/monitors.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Settings } from "../../config/schema.ts";
import type { Db } from "../../db/open.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { ensureDefault } from "../accounts/default.ts";
import { saveChecks } from "./checks.ts";
import { recordMonitorEvents } from "./events.ts";
import { heartbeatHash, newHeartbeatToken } from "./heartbeat.ts";
import { factsOf, statusOf } from "./held.ts";
import {
  checkLocations,
  checkQuorum,
  locationsOf,
  nodeLocations,
  parseCursor,
} from "./locations.ts";
import { monitorPolicy, refuseMonitor } from "./policy.ts";
import * as repo from "./repo.ts";
import { monitorSeries } from "./series.ts";
import { applyResult, DEFAULT_FLAP } from "./state.ts";

type PolicySettings = Pick<
  Settings,
  "listen" | "port" | "publicUrl" | "outboundAllow" | "outboundDeny"
> &
  Partial<Pick<Settings, "rdapBootstrapUrl">>;

export interface MonitorsDeps {
  db: Db;
  settings: PolicySettings;
  /** tells this process's scheduler that monitors changed (created, updated, resumed) */
  changed?: (id: string) => Promise<void>;
  /** extra probe dependencies (tests: a CA) */
  probe?: Partial<ProbeDeps>;
  /** the console page of a monitor, for the events of a check now */
  consoleUrl?: (id: string) => string | null;
}

const SECOND = 1000;

export function createMonitorsService(deps: MonitorsDeps) {
  const { db, settings, changed, probe } = deps;
  const k = db.db;
  const canSee = (ctx: Ctx, row: MonitorRef) => monitors.canRead(ctx, row).allowed;

  async function mustFind(ctx: Ctx, id: string, decide = monitors.canRead) {
    const row = await repo.findMonitor(k, id);
    // not visible and not existing look the same
    if (!row || !canSee(ctx, row)) throw notFound(`monitor ${id}`);
    enforce(ctx, decide(ctx, row));
    return row;
  }

  async function checkTargets(s: MonitorSettings, installation: boolean) {
    const policy = monitorPolicy(settings, installation ? null : "an account");
    const refused = await refuseMonitor(s, policy);
    if (refused) throw invalid(refused.field, refused.message);
  }

  /** one per scope (an installation's monitors, accounts'), shared: the scheduler holds 10,000 */
  const scopes = new Map<boolean, ProbeDeps>();
  const probeDeps = (accountId: string | null): ProbeDeps => {
    const installation = accountId === null;
    let shared = scopes.get(installation);
    if (!shared) {
      shared = {
        rdapBootstrap: settings.rdapBootstrapUrl,
        ...probe,
        policy: monitorPolicy(settings, accountId),
      };
      scopes.set(installation, shared);
    }
    return shared;
  };

  async function change(
    ctx: Ctx,
    id: string,
    verb: string,
    set: Partial<repo.NewMonitor>,
    diff: unknown,
  ) {
    const before = await mustFind(ctx, id, monitors.canManage);
    await k.transaction().execute(async (trx) => {
      await repo.updateMonitor(trx, id, { ...set, updated_at: Date.now() });
      await recordAudit(trx, ctx, changeOf("monitor", id, verb, diff, before.account_id));
    });
    await changed?.(id);
    return repo.toMonitor((await repo.findMonitor(k, id)) ?? before);
  }

  return {
    probeDeps,

    async list(ctx: Ctx, f: z.infer<typeof monitorListQuery> & { limit: number; cursor?: string }) {
      const scope = { where: monitors.listScope(ctx), walks: monitors.listWalks(ctx) };
      return repo.listMonitors(k, scope, { ...f, walk: repo.monitorOrder(f.sort, f.cursor) });
    },

    get: async (ctx: Ctx, id: string) => repo.toMonitor(await mustFind(ctx, id)),

    async create(ctx: Ctx, input: MonitorCreate) {
      const id = newId("mon");
      const token = input.settings.kind === "heartbeat" ? newHeartbeatToken() : null;
      // before the transaction: it may ask a resolver
      if (input.installation) enforce(ctx, monitors.canCreateInstallation(ctx));
      await checkTargets(input.settings, input.installation);
      await k.transaction().execute(async (trx) => {
        const accountId = input.installation
          ? null
          : (input.account ?? (await ensureDefault(trx, ctx)));
        if (accountId) enforce(ctx, monitors.canCreateIn(ctx, accountId));
        await checkLocations(trx, accountId, input.settings.kind, input.locations);
        const hash = token ? heartbeatHash(token) : null;
        const row = repo.newMonitorRow(id, accountId, input, {
          now: Date.now(),
          heartbeatHash: hash,
        });
        await repo.insertMonitor(trx, row);
        await recordAudit(trx, ctx, changeOf("monitor", id, "create", { after: input }, accountId));
      });
      await changed?.(id);
      const row = await repo.findMonitor(k, id);
      if (!row) throw notFound(`monitor ${id}`);
      return { ...repo.toMonitor(row), heartbeatToken: token };
    },

    async update(ctx: Ctx, id: string, input: MonitorUpdate) {
      const before = await mustFind(ctx, id, monitors.canManage);
      const current = repo.toMonitor(before);
      if (input.settings && input.settings.kind !== current.kind)
        throw invalid(
          "settings.kind",
          `must stay ${current.kind}: create another monitor for another kind`,
        );
      const interval = input.intervalSeconds ?? current.intervalSeconds;
      const timeout = input.timeoutSeconds ?? current.timeoutSeconds;
      if (timeout >= interval) throw invalid("timeoutSeconds", "must be shorter than the interval");
      if (input.settings)
        await checkTargets(monitorSettings.parse(input.settings), before.account_id === null);
      const locations = input.locations ?? locationsOf(before);
      if (input.locations) await checkLocations(k, before.account_id, current.kind, locations);
      const quorum = input.quorum === undefined ? before.quorum : input.quorum;
      checkQuorum(locations, quorum === null ? null : Number(quorum));
      const set: Partial<repo.NewMonitor> = {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.settings ? { settings: JSON.stringify(input.settings) } : {}),
        ...(input.intervalSeconds ? { interval_ms: interval * SECOND } : {}),
        ...(input.timeoutSeconds ? { timeout_ms: timeout * SECOND } : {}),
        ...(input.retries === undefined ? {} : { retries: input.retries }),
        ...(input.paused === undefined ? {} : { paused: input.paused ? 1 : 0 }),
        ...(input.maintenance ? { maintenance: JSON.stringify(input.maintenance) } : {}),
        ...(input.locations ? { locations: JSON.stringify(input.locations) } : {}),
        ...(input.quorum === undefined ? {} : { quorum: input.quorum }),
      };
      return change(ctx, id, "update", set, { before: current, after: input });
    },

    pause: (ctx: Ctx, id: string) => change(ctx, id, "pause", { paused: 1 }, null),
    resume: (ctx: Ctx, id: string) =>
      change(ctx, id, "resume", { paused: 0, next_due: Date.now() }, null),

    async remove(ctx: Ctx, id: string) {
      const before = await mustFind(ctx, id, monitors.canManage);
      await k.transaction().execute(async (trx) => {
        await repo.deleteMonitor(trx, id);
        await recordAudit(
          trx,
          ctx,
          changeOf("monitor", id, "delete", { before: repo.toMonitor(before) }, before.account_id),
        );
      });
    },

    async results(
      ctx: Ctx,
      id: string,
      q: { from?: string; to?: string; location?: string; limit: number; cursor?: string },
    ) {
      await mustFind(ctx, id);
      const time = (iso?: string) => (iso === undefined ? undefined : Date.parse(iso));
      return repo.listResults(k, id, {
        from: time(q.from),
        to: time(q.to),
        cursor: parseCursor(q.cursor),
        location: q.location,
        limit: q.limit,
      });
    },

    /**
     * Checks now and answers the result, recorded as a scheduled check's: its result kept, the
     * state machine run, the events of a change recorded; the next scheduled check keeps its time.
     */
    /** The buckets of a range of the monitor's history (series.ts). */
    async series(ctx: Ctx, id: string, q: { range: SeriesRange }) {
      await mustFind(ctx, id);
      return monitorSeries(k, id, q.range, Date.now());
    },

    /** Checks now and answers the result; the monitor's state and history are the scheduler's. */
    async check(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id, monitors.canManage);
      const { runProbe } = await loadProbes();
      const result = await runProbe(
        repo.settingsOf(row),
        {
          timeoutMs: Number(row.timeout_ms),
          intervalMs: Number(row.interval_ms),
          lastPingAt: row.last_ping_at === null ? null : Number(row.last_ping_at),
        },
        probeDeps(row.account_id),
      );
      const at = Date.now();
      await k.transaction().execute(async (trx) => {
        const fresh = (await repo.findMonitor(trx, id)) ?? row;
        const facts = factsOf(fresh, deps.consoleUrl?.(id) ?? null);
        // a monitor checked from elsewhere too moves by its quorum (the scheduler's), not by this
        const alone = !nodeLocations(locationsOf(fresh)).length;
        const next = alone
          ? applyResult(facts, statusOf(fresh), result, at, DEFAULT_FLAP)
          : { status: statusOf(fresh), events: [] };
        const due = Number(fresh.next_due);
        const done = { id, at, result, status: next.status, due, events: next.events };
        await saveChecks(trx, null, [done], recordMonitorEvents);
        // the panel holding the monitor reloads it (held.ts keeps the later check's status)
        await repo.updateMonitor(trx, id, { updated_at: at });
        await recordAudit(trx, ctx, changeOf("monitor", id, "check", { result }, row.account_id));
      });
      await changed?.(id);
      return { at: new Date(at).toISOString(), location: PANEL_LOCATION, ...result };
    },

    /** A heartbeat reported in (no caller: the token is the credential). */
    async heartbeat(ctx: Ctx, token: string) {
      const row = await repo.findByHeartbeat(k, heartbeatHash(token));
      if (!row) throw notFound("heartbeat");
      if (Number(row.paused)) throw conflict(`monitor ${row.id} is paused`);
      const now = Date.now();
      // a monitor that is down is checked at once, not at its next due time
      const down = row.state === "down";
      await repo.updateMonitor(
        k,
        row.id,
        down ? { last_ping_at: now, next_due: now, updated_at: now } : { last_ping_at: now },
      );
      if (down) await changed?.(row.id);
      // a report is not a change a person made: not an audit event
      ctx.audited = true;
      return { monitorId: row.id, receivedAt: new Date().toISOString() };
    },
  };
}

export type MonitorsService = ReturnType<typeof createMonitorsService>;
