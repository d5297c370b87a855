// What the panel makes along with another resource: that resource's file holds it, never a
// file of its own (else apply on a fresh panel would make it twice). A cron job's heartbeat
// monitor is its crontab's `heartbeat: true`; an app's proxy site (and that site's monitor)
// is its app file's `domain`.
import type { Api } from "../api.ts";
import type { Refs } from "../kind.ts";
import { listApps } from "./apps.ts";
import { heartbeatMonitors } from "./crontabs.ts";

export async function madeWith(api: Api, refs: Refs) {
  const [heartbeats, apps] = await Promise.all([
    heartbeatMonitors(api),
    listApps(api, refs.accounts.values()),
  ]);
  const sites = new Set(apps.flatMap((a) => (a.siteId === null ? [] : [a.siteId])));
  return {
    sites,
    /** a monitor made with a cron job, or the monitor of an app's site */
    monitor: (m: { id: string; siteId: string | null }) =>
      heartbeats.has(m.id) || (m.siteId !== null && sites.has(m.siteId)),
  };
}
