// The public status page (/status/<slug>, .json): the listed monitors' public names, states,
// 90 days of uptime and the page's incidents, nothing else (no targets, URLs, account or other
// monitors). Each slug's answer is made once per TTL and shared by every request meanwhile (a
// burst of a thousand costs one read), with an ETag; a change through the API drops it.
import { createHash } from "node:crypto";
import type { PublicStatus } from "@steward/contracts/status-pages";
import type { Db } from "../../db/open.ts";
import { msToIso } from "../../lib/sql.ts";
import { monitorsByIds } from "../monitors/repo.ts";
import { denseBuckets, seriesBuckets, uptimeOf } from "../monitors/series.ts";
import { renderStatusHtml } from "./html.ts";
import * as repo from "./repo.ts";
import { toIncident } from "./service.ts";

export const STATUS_TTL_MS = 30_000;

export interface Rendered {
  json: string;
  html: string;
  etag: string;
}

async function load(db: Db, slug: string, now: number): Promise<Rendered | null> {
  const k = db.db;
  const page = await repo.findPageBySlug(k, slug);
  if (!page) return null;
  const listed = await repo.pageMonitors(k, page.id);
  const ids = listed.map((m) => m.monitor_id);
  const rows = new Map((await monitorsByIds(k, ids)).map((m) => [m.id, m]));
  const series = await seriesBuckets(k, ids, "90d", now);
  const status: PublicStatus = {
    title: page.title,
    description: page.description,
    monitors: listed.flatMap((m) => {
      const row = rows.get(m.monitor_id);
      // a monitor moved to another account since is not shown
      if (!row || row.account_id !== page.account_id) return [];
      const days = denseBuckets(
        series.rows.filter((b) => b.monitorId === m.monitor_id),
        series,
      );
      return [
        {
          name: m.display_name,
          state: Number(row.paused) ? ("paused" as const) : row.state,
          days: days.map((d) => ({ day: d.start.slice(0, 10), uptime: d.uptime })),
          uptime90d: uptimeOf(days).uptime,
        },
      ];
    }),
    incidents: (await repo.pageIncidents(k, page.id, 20)).map((row) => {
      const { id: _, ...shown } = toIncident(row);
      return shown;
    }),
    generatedAt: msToIso(now),
  };
  const json = JSON.stringify(status);
  return {
    json,
    html: renderStatusHtml(status),
    etag: `"${createHash("sha256").update(json).digest("base64url").slice(0, 27)}"`,
  };
}

export function createPublicStatus(deps: { db: Db; ttlMs?: number; now?: () => number }) {
  const ttl = deps.ttlMs ?? STATUS_TTL_MS;
  const cache = new Map<string, { until: number; answer: Promise<Rendered | null> }>();
  let loads = 0;
  return {
    /** the slug's page as rendered within the TTL (null: no such page) */
    get(slug: string): Promise<Rendered | null> {
      const now = deps.now?.() ?? Date.now();
      const hit = cache.get(slug);
      if (hit && hit.until > now) return hit.answer;
      loads += 1;
      const answer = load(deps.db, slug, now);
      cache.set(slug, { until: now + ttl, answer });
      // a failed read is not kept
      answer.catch(() => cache.delete(slug));
      if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
      return answer;
    },
    /** a page changed through the API: its next request reads it again */
    forget(slug: string) {
      cache.delete(slug);
    },
    /** how many times a page was read from the database (the cache's test) */
    loads: () => loads,
  };
}

export type PublicStatusPages = ReturnType<typeof createPublicStatus>;
