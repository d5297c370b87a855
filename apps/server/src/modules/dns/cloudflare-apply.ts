// Applying a zone held at Cloudflare: read every record it has (all pages), compare with the
// desired records as the panel keeps them, and send the difference through the batch endpoint
// (deletes, then updates, then creates; at most BATCH_MAX changes a request, Cloudflare's
// limit on the free plan). A record Steward did not write (no STEWARD_MARK comment) is left
// alone unless the zone is fully synced; one equal to a desired record is adopted (marked).
// The apex NS records are Cloudflare's own and never written. Cloudflare's refusals are told
// in words; a rate limit or an unreachable API is worth another try, the rest is final.
import type { DnsRecord } from "@steward/contracts/dns";
import { PermanentError } from "../../engine/types.ts";
import {
  type CloudflareClient,
  CloudflareError,
  type CloudflareRecord,
  type RecordInput,
} from "../../integrations/cloudflare/client.ts";
import {
  AUTO_SECONDS,
  AUTO_TTL,
  fromCloudflare,
  isApexNs,
  keyOf,
  STEWARD_MARK,
  toCloudflare,
} from "./cloudflare-records.ts";

export const BATCH_MAX = 200;

export interface CloudflarePlan {
  deletes: { id: string }[];
  puts: (RecordInput & { id: string })[];
  posts: RecordInput[];
}

const ttlOf = (c: CloudflareRecord) => (c.ttl === AUTO_TTL ? AUTO_SECONDS : c.ttl);

/** What to send so that Cloudflare holds `desired` (and, fully synced, nothing else). */
export function planChanges(
  zone: string,
  desired: DnsRecord[],
  held: CloudflareRecord[],
  fullSync: boolean,
): CloudflarePlan {
  const wanted = new Map<string, DnsRecord>();
  for (const r of desired) if (!isApexNs(r, zone)) wanted.set(keyOf(r, zone) ?? "", r);
  const plan: CloudflarePlan = { deletes: [], puts: [], posts: [] };
  const seen = new Set<string>();
  for (const c of held) {
    const input = fromCloudflare(c);
    if (input && isApexNs(input, zone)) continue;
    const key = input ? keyOf(input, zone) : null;
    const mine = c.comment === STEWARD_MARK;
    const want = key !== null && !seen.has(key) ? wanted.get(key) : undefined;
    if (want && key) {
      seen.add(key);
      const proxiedAuto = c.proxied === true && c.ttl === AUTO_TTL;
      if (!mine || (!proxiedAuto && ttlOf(c) !== want.ttl))
        plan.puts.push({ id: c.id, ...toCloudflare(want, zone) });
    } else if (mine || (fullSync && input)) plan.deletes.push({ id: c.id });
  }
  for (const [key, r] of wanted) if (!seen.has(key)) plan.posts.push(toCloudflare(r, zone));
  return plan;
}

/** The plan in requests of at most BATCH_MAX changes, in Cloudflare's order. */
export function batches(plan: CloudflarePlan) {
  const all = [
    ...plan.deletes.map((d) => ({ deletes: [d] })),
    ...plan.puts.map((p) => ({ puts: [p] })),
    ...plan.posts.map((p) => ({ posts: [p] })),
  ];
  const out: { deletes: { id: string }[]; puts: CloudflarePlan["puts"]; posts: RecordInput[] }[] =
    [];
  for (let i = 0; i < all.length; i += BATCH_MAX) {
    const part = all.slice(i, i + BATCH_MAX);
    out.push({
      deletes: part.flatMap((p) => ("deletes" in p ? p.deletes : [])),
      puts: part.flatMap((p) => ("puts" in p ? p.puts : [])),
      posts: part.flatMap((p) => ("posts" in p ? p.posts : [])),
    });
  }
  return out;
}

/** Cloudflare's answer in words: a Permanent error unless another try may succeed. */
export function cloudflareWords(err: unknown, provider: string, zone: string): Error {
  if (!(err instanceof CloudflareError))
    return new Error(`Cloudflare could not be reached: ${(err as Error).message}`);
  if (err.status === 429 || err.has(971) || err.has(10429))
    return new Error("Cloudflare's rate limit was reached: the change is tried again later");
  if (err.has(1000) || err.has(6003) || err.status === 401)
    return new PermanentError(
      `Cloudflare says the token of DNS provider ${provider} is invalid (or expired, or revoked)`,
    );
  if (err.has(10000) || err.status === 403)
    return new PermanentError(
      `the token of DNS provider ${provider} may not edit the DNS records of ${zone}: give it "Zone → DNS → Edit"`,
    );
  if (err.has(7003) || err.status === 404)
    return new PermanentError(
      `Cloudflare's zone ${zone} is not reachable with ${provider}'s token`,
    );
  if (err.status >= 500) return new Error(`Cloudflare failed (${err.message}): tried again later`);
  return new PermanentError(`Cloudflare refused the change: ${err.message}`);
}

/** Cloudflare's zone of that name as the token sees it, or a PermanentError. */
export async function zoneAt(client: CloudflareClient, provider: string, zone: string) {
  const found = (await client.zones(zone)).find((z) => z.name === zone);
  if (!found)
    throw new PermanentError(`Cloudflare's zone ${zone} is not reachable with ${provider}'s token`);
  return found;
}

/** Makes Cloudflare hold the zone's records; answers how many changes were sent. */
export async function applyAtCloudflare(
  client: CloudflareClient,
  target: { provider: string; zone: string; records: DnsRecord[]; fullSync: boolean },
  log: (line: string) => void,
) {
  const { provider, zone } = target;
  try {
    const found = await zoneAt(client, provider, zone);
    const held = await client.records(found.id, {});
    const plan = planChanges(zone, target.records, held, target.fullSync);
    const sent = plan.deletes.length + plan.puts.length + plan.posts.length;
    log(
      `Cloudflare holds ${held.length} record${held.length === 1 ? "" : "s"} of ${zone}: ${plan.posts.length} to create, ` +
        `${plan.puts.length} to update, ${plan.deletes.length} to delete`,
    );
    for (const batch of batches(plan)) await client.batch(found.id, batch);
    return { changed: sent > 0 };
  } catch (err) {
    if (err instanceof PermanentError) throw err;
    throw cloudflareWords(err, provider, zone);
  }
}
