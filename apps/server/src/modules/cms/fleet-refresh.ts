// Refreshing many CMS sites at once (docs/cms.md#tasks): at most K requests at a time to one
// remote host (the setting cmsHostConcurrency; sites of one shared host are not hammered), at
// most FLEET_PARALLEL refreshes at a time in all. `cms.refresh-fleet` refreshes every site of an
// account this way (POST /api/v1/cms-sites/refresh): one task instead of a thousand, so a full
// refresh is bound by the sites' latency, not by the engine's slots.
import { z } from "zod";
import type { Registry } from "../../engine/registry.ts";
import type { HandlerDef } from "../../engine/types.ts";
import * as repo from "./repo.ts";
import { MAX_PER_ACCOUNT } from "./service.ts";
import type { CmsTaskDeps } from "./tasks.ts";

export const CMS_REFRESH_FLEET = "cms.refresh-fleet";
/** refreshes in flight at most, across hosts */
export const FLEET_PARALLEL = 64;

/** At most `perHost` calls at a time per host name; the rest wait in arrival order. */
export function hostGate(perHost: number) {
  const hosts = new Map<string, { running: number; waiting: (() => void)[] }>();
  return {
    perHost,
    async run<T>(url: string, work: () => Promise<T>): Promise<T> {
      const host = new URL(url).hostname;
      let h = hosts.get(host);
      if (!h) {
        h = { running: 0, waiting: [] };
        hosts.set(host, h);
      }
      const slot = h;
      if (slot.running >= perHost) await new Promise<void>((go) => slot.waiting.push(go));
      else slot.running += 1;
      try {
        return await work();
      } finally {
        const next = slot.waiting.shift();
        if (next) next();
        else {
          slot.running -= 1;
          if (slot.running === 0) hosts.delete(host);
        }
      }
    },
  };
}
export type HostGate = ReturnType<typeof hostGate>;

/** Runs `work` on each item, at most `parallel` at a time; the failures counted, not thrown. */
export async function eachLimited<T>(
  items: T[],
  parallel: number,
  work: (item: T) => Promise<unknown>,
) {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item).catch(() => {
        failed += 1;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return { done: items.length - failed, failed };
}

const payload = z.strictObject({ accountId: z.string() });

export function cmsRefreshFleetTask(
  deps: CmsTaskDeps,
  refresh: (siteId: string) => Promise<unknown>,
): HandlerDef<typeof payload> {
  return {
    kind: CMS_REFRESH_FLEET,
    description: "refreshes every CMS site of an account, at most K requests at a time per host",
    payload,
    timeoutMs: 30 * 60_000,
    maxAttempts: 1,
    concurrency: { key: (p) => `cms-fleet:${p.accountId}`, limit: 1 },
    unique: (p) => p.accountId,
    async run(ctx) {
      const sites = await repo.sitesOfAccount(
        deps.db.db,
        ctx.task.payload.accountId,
        MAX_PER_ACCOUNT,
      );
      ctx.log.info(
        `refreshing ${sites.length} site(s), ${deps.hosts?.perHost ?? "any"} at a time per host`,
      );
      const t0 = performance.now();
      const { done, failed } = await eachLimited(sites, FLEET_PARALLEL, (s) => refresh(s.id));
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      ctx.log.info(
        `${done} refreshed, ${failed} failed (their errors kept on each site) in ${seconds} s`,
      );
      return { sites: sites.length, refreshed: done, failed };
    },
  };
}

export function registerFleetTasks(
  registry: Registry,
  deps: CmsTaskDeps,
  refresh: (siteId: string) => Promise<unknown>,
) {
  registry.register(cmsRefreshFleetTask(deps, refresh));
}
