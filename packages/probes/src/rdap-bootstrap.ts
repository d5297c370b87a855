// The IANA RDAP bootstrap for domains (RFC 9224, `dns.json`): which RDAP server answers for a
// top-level domain. Fetched through the monitor's outbound policy, kept per bootstrap URL and
// refreshed once a day; a refresh that fails keeps the previous copy.
import { outboundRequest } from "./outbound-http.ts";
import { type ProbeDeps, whoOf } from "./types.ts";

export const IANA_BOOTSTRAP = "https://data.iana.org/rdap/dns.json";
const DAY = 86_400_000;

interface Bootstrap {
  fetchedAt: number;
  /** each suffix ("com", "co.uk") with its servers' base URLs */
  servers: Map<string, string[]>;
}

const cache = new Map<string, Promise<Bootstrap>>();

async function download(url: string, deps: ProbeDeps, timeoutMs: number): Promise<Bootstrap> {
  const answer = await outboundRequest(
    { field: "rdap bootstrap", method: "GET", url, headers: { accept: "application/json" } },
    { ...deps, who: whoOf(deps), timeoutMs, maxBytes: 4 * 1024 * 1024 },
  );
  if (answer.status !== 200) throw new Error(`the RDAP bootstrap answered ${answer.status}`);
  const document = JSON.parse(answer.body) as { services?: unknown };
  const servers = new Map<string, string[]>();
  for (const entry of Array.isArray(document.services) ? document.services : []) {
    const [suffixes, urls] = Array.isArray(entry) ? entry : [];
    if (!Array.isArray(suffixes) || !Array.isArray(urls)) continue;
    const bases = urls.filter((u): u is string => typeof u === "string" && /^https?:\/\//.test(u));
    for (const suffix of suffixes)
      if (typeof suffix === "string") servers.set(suffix.toLowerCase(), bases);
  }
  return { fetchedAt: deps.now?.() ?? Date.now(), servers };
}

/** The bootstrap at `url`: the cached copy while less than a day old, else a fresh one. */
async function bootstrap(url: string, deps: ProbeDeps, timeoutMs: number): Promise<Bootstrap> {
  const now = deps.now?.() ?? Date.now();
  const held = cache.get(url);
  const kept = held ? await held.catch(() => null) : null;
  if (kept && now - kept.fetchedAt < DAY) return kept;
  const fresh = download(url, deps, timeoutMs);
  cache.set(url, fresh);
  try {
    return await fresh;
  } catch (error) {
    if (!kept) throw error;
    cache.set(url, Promise.resolve(kept));
    return kept;
  }
}

/** The base URL of the RDAP server of `domain` (https preferred), or null when none is known. */
export async function rdapServer(
  domain: string,
  deps: ProbeDeps,
  timeoutMs: number,
): Promise<string | null> {
  const { servers } = await bootstrap(deps.rdapBootstrap ?? IANA_BOOTSTRAP, deps, timeoutMs);
  const labels = domain.split(".");
  for (let i = 1; i < labels.length; i++) {
    const bases = servers.get(labels.slice(i).join("."));
    if (bases?.length) {
      const base = bases.find((b) => b.startsWith("https:")) ?? (bases[0] as string);
      return base.endsWith("/") ? base : `${base}/`;
    }
  }
  return null;
}
