// The CMS sites' tasks (docs/cms.md#tasks): `cms.refresh` reads a site's versions, extensions
// and update offers through the connector (asking the update servers first) and caches them
// on the site: recurring per site, and run now on request; `cms.update` applies one update
// (core, a plugin or a theme) through the connector, then checks that the home page still
// answers, and refreshes the cache: run-once, high priority. One task at a time per site.
import type { CmsInfo } from "@steward/contracts";
import type { OutboundPolicy } from "@steward/contracts/net";
import { z } from "zod";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import { panelAddresses } from "../../lib/outbound.ts";
import { outboundRequest } from "../../lib/outbound-http.ts";
import { applySiteUpdate, coreName, readSiteInfo } from "./client.ts";
import { type HostGate, registerFleetTasks } from "./fleet-refresh.ts";
import { replaceSiteExtensions } from "./fleet-repo.ts";
import * as repo from "./repo.ts";
import { registerCmsToolTasks } from "./tools-tasks.ts";
import type { WpTarget } from "./wordpress.ts";

export const CMS_REFRESH = "cms.refresh";
export const CMS_UPDATE = "cms.update";

export interface CmsTaskDeps {
  db: Db;
  secrets: Secrets;
  policy: () => OutboundPolicy;
  /** at most K requests at a time per remote host (fleet-refresh.ts) */
  hosts?: HostGate;
}

const refreshPayload = z.strictObject({ siteId: z.string() });
const updatePayload = z.strictObject({
  siteId: z.string(),
  type: z.enum(["core", "plugin", "theme", "extension"]),
  slug: z.string(),
});

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
    await replaceSiteExtensions(deps.db.db, found.site, info);
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

/** GET the home page: the status, or the error in words. */
async function homeStatus(deps: CmsTaskDeps, url: string): Promise<number | string> {
  try {
    const answer = await outboundRequest(
      { field: "url", method: "GET", url, headers: { accept: "text/html" }, redirects: "all" },
      { policy: deps.policy(), who: "this panel", localAddresses: panelAddresses() },
    );
    return answer.status;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function cmsUpdateTask(deps: CmsTaskDeps): HandlerDef<typeof updatePayload> {
  return {
    kind: CMS_UPDATE,
    description: "applies a core, plugin or theme update on a CMS site, then checks its home page",
    payload: updatePayload,
    timeoutMs: 10 * 60_000,
    // an update is not retried blindly: the site may be half-way
    maxAttempts: 1,
    concurrency: { key: (p) => `cms-site:${p.siteId}`, limit: 1 },
    unique: (p) => `${p.siteId}:${p.type}:${p.slug}`,
    async run(ctx) {
      const { siteId, type, slug } = ctx.task.payload;
      const found = await siteTarget(deps, siteId);
      if (!found) throw new PermanentError("the site was removed");
      const what = type === "core" ? coreName(found.site.kind) : `${type} ${slug}`;
      ctx.log.info(`updating ${what} on ${found.site.url}`);
      const done = await applySiteUpdate(
        found.site.kind,
        found.target,
        { policy: deps.policy() },
        {
          type,
          slug,
        },
      );
      for (const line of done.log) ctx.log.info(line);
      if (!done.ok)
        throw new PermanentError(
          `the update of ${what} failed: ${done.error ?? "no reason given"}`,
        );
      ctx.log.info(`${what}: ${done.from ?? "?"} → ${done.to ?? "?"}`);
      const status = await homeStatus(deps, found.site.url);
      await refreshSite(deps, siteId).catch((error: unknown) =>
        ctx.log.warn(`the refresh after the update failed: ${String(error)}`),
      );
      if (typeof status !== "number" || status >= 400)
        throw new PermanentError(
          `${what} was updated to ${done.to ?? "?"} but the home page ${typeof status === "number" ? `answers HTTP ${status}` : `does not answer: ${status}`}`,
        );
      ctx.log.info(`the home page answers HTTP ${status}`);
      return { from: done.from, to: done.to, homeStatus: status };
    },
  };
}

export function registerCmsTasks(registry: Registry, deps: CmsTaskDeps) {
  registry.register(cmsRefreshTask(deps));
  registry.register(cmsUpdateTask(deps));
  registerCmsToolTasks(registry, deps);
  registerFleetTasks(registry, deps, (siteId) => refreshSite(deps, siteId));
}
