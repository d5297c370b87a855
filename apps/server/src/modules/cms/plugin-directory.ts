// Abandoned WordPress plugins (docs/cms.md#abandoned-extensions): wordpress.org's plugins API
// (`plugins/info/1.2/`, action plugin_information) tells when a plugin last released. The
// `cms.plugin-directory` system task (hourly) asks it, under the outbound policy, for the fleet's
// plugins not asked about for a day (at most 200 a run, one request at a time), caches each
// answer per slug (a plugin the directory does not have: no date) and marks the fleet's rows;
// a refresh of a site reads the cache. A plugin with no release in `cmsAbandonedMonths` months
// is abandoned. A failed request leaves the slug for the next run.
import type { OutboundPolicy } from "@steward/contracts/net";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { panelAddresses } from "../../lib/outbound.ts";
import { outboundRequest } from "../../lib/outbound-http.ts";
import { markAbandoned, saveRelease, staleDirectorySlugs } from "./fleet-repo.ts";
import { USER_AGENT } from "./wordpress.ts";

export const CMS_PLUGIN_DIRECTORY = "cms.plugin-directory";
const DAY = 86_400_000;
const PER_RUN = 200;

export interface DirectoryDeps {
  db: Db;
  policy: () => OutboundPolicy;
  /** wordpress.org's plugins API, `…/plugins/info/1.2/` */
  apiUrl: string;
  abandonedMonths: number;
}

/** The instant before which a last release makes a plugin abandoned. */
export function abandonedBefore(months: number, now = Date.now()) {
  const at = new Date(now);
  at.setUTCMonth(at.getUTCMonth() - months);
  return at.getTime();
}

/** The directory's `last_updated` ("2024-11-11 3:39pm GMT"), as milliseconds; null when unreadable. */
export function parseLastUpdated(text: string): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)(?: (\d{1,2}):(\d\d)(am|pm))?(?: GMT)?$/.exec(text.trim());
  if (!m) return null;
  const hour = m[4] === undefined ? 0 : (Number(m[4]) % 12) + (m[6] === "pm" ? 12 : 0);
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour, Number(m[5] ?? 0));
  return Number.isNaN(at) ? null : at;
}

const found = z.object({ slug: z.string().max(200), last_updated: z.string().max(100) });

/** When the plugin last released; null when the directory does not have it; throws otherwise. */
export async function lastRelease(
  slug: string,
  o: { policy: OutboundPolicy; apiUrl: string },
): Promise<number | null> {
  const query = new URLSearchParams({
    action: "plugin_information",
    "request[slug]": slug,
    "request[fields][sections]": "0",
    "request[fields][description]": "0",
  });
  const answer = await outboundRequest(
    {
      field: "wordpressPluginsApi",
      method: "GET",
      url: `${o.apiUrl}?${query}`,
      headers: { accept: "application/json", "user-agent": USER_AGENT },
      redirects: "all",
    },
    {
      policy: o.policy,
      who: "this panel",
      localAddresses: panelAddresses(),
      timeoutMs: 15_000,
      maxBytes: 1024 * 1024,
    },
  );
  if (answer.status === 404) return null;
  if (answer.status !== 200) throw new Error(`wordpress.org answered HTTP ${answer.status}`);
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    throw new Error("wordpress.org's answer is not JSON");
  }
  const parsed = found.safeParse(body);
  if (!parsed.success || parsed.data.slug !== slug)
    throw new Error("wordpress.org's answer is not a plugin's information");
  return parseLastUpdated(parsed.data.last_updated);
}

const payload = z.strictObject({});

export function pluginDirectoryTask(deps: DirectoryDeps): HandlerDef<typeof payload> {
  return {
    kind: CMS_PLUGIN_DIRECTORY,
    description:
      "asks wordpress.org when the fleet's WordPress plugins last released, to tell abandoned ones",
    payload,
    timeoutMs: 30 * 60_000,
    maxAttempts: 1,
    system: true,
    recurring: true,
    unique: () => CMS_PLUGIN_DIRECTORY,
    async run(ctx) {
      const now = Date.now();
      const before = abandonedBefore(deps.abandonedMonths, now);
      const k = deps.db.db;
      const slugs = await staleDirectorySlugs(k, now - DAY, PER_RUN);
      let asked = 0;
      for (const slug of slugs) {
        try {
          const at = await lastRelease(slug, { policy: deps.policy(), apiUrl: deps.apiUrl });
          await saveRelease(k, slug, at, before);
          asked++;
        } catch (error) {
          ctx.log.warn(`${slug}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      await markAbandoned(k, before);
      ctx.log.info(`${asked} of ${slugs.length} plugin(s) looked up`);
      return { asked, failed: slugs.length - asked };
    },
  };
}

export function registerPluginDirectoryTask(registry: Registry, deps: DirectoryDeps) {
  registry.register(pluginDirectoryTask(deps));
}
