// The CMS sites' tasks (docs/cms.md#tasks): `cms.refresh` reads a site's versions, extensions
// and update offers through the connector (asking the update servers first) and caches them
// on the site: recurring per site, and run now on request, each request through the per-host
// gate (fleet-refresh.ts). The updates themselves are the `cms.upgrade` task's
// (safe-update.ts). One task at a time per site.
import type { CmsInfo } from "@steward/contracts";
import type { OutboundPolicy } from "@steward/contracts/net";
import { z } from "zod";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { readSiteInfo } from "./client.ts";
import { type HostGate, registerFleetTasks } from "./fleet-refresh.ts";
import { replaceSiteExtensions } from "./fleet-repo.ts";
import type { HostedBackups } from "./hosted-backup.ts";
import { abandonedBefore } from "./plugin-directory.ts";
import * as repo from "./repo.ts";
import { registerCmsToolTasks } from "./tools-tasks.ts";
import type { WpTarget } from "./wordpress.ts";

export const CMS_REFRESH = "cms.refresh";

export interface CmsTaskDeps {
  db: Db;
  secrets: Secrets;
  policy: () => OutboundPolicy;
  /** at most K requests at a time per remote host (fleet-refresh.ts) */
  hosts?: HostGate;
  /** a plugin with no release in this many months is abandoned (plugin-directory.ts; default 24) */
  abandonedMonths?: number;
  /** Chromium's executable for the safe updates' visual check (visual-check.ts) */
  chromium?: string;
  /** the backups capability, for Steward-hosted sites' restore points (hosted-backup.ts) */
  backups?: HostedBackups;
}

const refreshPayload = z.strictObject({ siteId: z.string() });

/** The offers in a connector's answer: core and each extension with an update. */
export const offersIn = (info: CmsInfo) =>
  (info.coreUpdate ? 1 : 0) + info.extensions.filter((e) => e.update !== null).length;

async function siteTarget(deps: CmsTaskDeps, siteId: string) {
  const site = await repo.findSite(deps.db.db, siteId);
  if (!site) return null;
  const target: WpTarget = {
    url: site.url,
    username: site.username,
    password: deps.secrets.open(site.secret_enc),
  };
  return { site, target };
}

/** Reads the site's info (asking the update servers) and caches it on the site. */
export async function refreshSite(deps: CmsTaskDeps, siteId: string): Promise<CmsInfo | null> {
  const found = await siteTarget(deps, siteId);
  if (!found) return null;
  try {
    const read = () => readSiteInfo(found.site.kind, found.target, { policy: deps.policy() }, true);
    const info = await (deps.hosts ? deps.hosts.run(found.site.url, read) : read());
    await repo.updateSite(deps.db.db, siteId, {
      info: JSON.stringify(info),
      core_version: info.core,
      updates_available: offersIn(info),
      refreshed_at: Date.now(),
      refresh_error: null,
    });
    const before = abandonedBefore(deps.abandonedMonths ?? 24);
    await replaceSiteExtensions(deps.db.db, found.site, info, before);
    return info;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await repo.updateSite(deps.db.db, siteId, { refresh_error: message.slice(0, 1000) });
    throw error;
  }
}

export function cmsRefreshTask(deps: CmsTaskDeps): HandlerDef<typeof refreshPayload> {
  return {
    kind: CMS_REFRESH,
    description: "reads a CMS site's versions, extensions and update offers through its connector",
    payload: refreshPayload,
    timeoutMs: 2 * 60_000,
    maxAttempts: 3,
    backoff: { baseMs: 30_000, maxMs: 600_000 },
    concurrency: { key: (p) => `cms-site:${p.siteId}`, limit: 1 },
    recurring: true,
    async run(ctx) {
      const info = await refreshSite(deps, ctx.task.payload.siteId);
      if (!info) return null;
      ctx.log.info(`${info.core} at the core, ${offersIn(info)} update(s) offered`);
      return { core: info.core, updates: offersIn(info) };
    },
  };
}

export function registerCmsTasks(registry: Registry, deps: CmsTaskDeps) {
  registry.register(cmsRefreshTask(deps));
  registerCmsToolTasks(registry, deps);
  registerFleetTasks(registry, deps, (siteId) => refreshSite(deps, siteId));
}
