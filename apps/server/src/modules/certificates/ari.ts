// ACME Renewal Information (RFC 9773): when the CA would like a certificate renewed. The
// directory's `renewalInfo` URL, GET `<renewalInfo>/<certID>` (certID: @steward/pki's ariCertId)
// → `{"suggestedWindow": {"start", "end"}}` and a `Retry-After` saying when to ask again. The
// renewal is due at a random time inside the window (now when it has passed); the next check
// is Retry-After later (6 h when absent; between a minute and a day). A CA without
// `renewalInfo` (acme-client 5.4 and Debian's pebble 2.4 speak none) or an answer that does
// not fit gives null: the caller falls back to 30 days before expiry (schedule.ts). The
// daily scan asks again when the next check is due (the window may move earlier).
import { ariCertId } from "@steward/pki";
import { type AcmeSettings, acmeLibrary, directoryOf, loadAcme } from "./acme.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface AriSchedule {
  /** when to renew: a random time in the suggested window */
  renewAt: number;
  /** when to ask again (Retry-After) */
  nextCheck: number;
  window: { start: number; end: number };
}

type Headers = Record<string, string | undefined>;

const once = async (url: string) => {
  const r = await (await loadAcme()).axios.get(url, {
    validateStatus: () => true,
    timeout: 10_000,
  });
  return { status: r.status, data: r.data, headers: r.headers as Headers };
};
/** A GET is idempotent: one reset connection (a kept-alive one the CA closed) is tried again. */
const get = (url: string) =>
  once(url).catch((err: unknown) => {
    if (err instanceof Error && /\(ECONNRESET\)$|socket hang up/.test(err.message))
      return once(url);
    throw err;
  });

/** Seconds or an HTTP date → milliseconds from `now`, bounded; 6 h when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number {
  const seconds = value && /^\d+$/.test(value.trim()) ? Number(value) * 1000 : null;
  const date = value && seconds === null ? Date.parse(value) - now : null;
  const wait = seconds ?? (date !== null && Number.isFinite(date) ? date : 6 * HOUR);
  return Math.min(Math.max(wait, MINUTE), DAY);
}

/** The directory's renewalInfo URL, or null when the CA offers none. */
export async function renewalInfoUrl(directoryUrl: string) {
  const r = await get(directoryUrl);
  const url = (r.data as { renewalInfo?: unknown } | null)?.renewalInfo;
  return r.status === 200 && typeof url === "string" && /^https?:\/\//.test(url) ? url : null;
}

/** Asks the CA about `certId`; null when it has no ARI or its answer does not fit. */
export async function askAri(
  s: AcmeSettings,
  certId: string,
  o: { now?: number; random?: () => number } = {},
): Promise<AriSchedule | null> {
  const now = o.now ?? Date.now();
  await acmeLibrary(s.acmeCaFile);
  const base = await renewalInfoUrl(directoryOf(s));
  if (!base) return null;
  const r = await get(`${base.replace(/\/$/, "")}/${certId}`);
  const window = (r.data as { suggestedWindow?: { start?: unknown; end?: unknown } } | null)
    ?.suggestedWindow;
  const start = typeof window?.start === "string" ? Date.parse(window.start) : Number.NaN;
  const end = typeof window?.end === "string" ? Date.parse(window.end) : Number.NaN;
  if (r.status !== 200 || !(start < end)) return null;
  const from = Math.max(start, now);
  const renewAt = from >= end ? now : Math.floor(from + (o.random ?? Math.random)() * (end - from));
  return {
    renewAt,
    nextCheck: now + retryAfterMs(r.headers["retry-after"], now),
    window: { start, end },
  };
}

export interface RenewalPlan {
  renew_at: number;
  ari_id: string | null;
  ari_next_at: number | null;
}

const failed = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The renewal of a certificate just installed: in the CA's ARI window when it has one, else
 * 30 days before expiry (`fallback`). An ARI that fails is logged and falls back.
 */
export async function renewalPlan(
  s: AcmeSettings,
  chain: string,
  fallback: number,
  log: (line: string) => void,
): Promise<RenewalPlan> {
  const id = ariCertId(chain);
  const ari = id
    ? await askAri(s, id).catch((err) => {
        log(`the CA's renewal information could not be read: ${failed(err)}`);
        return null;
      })
    : null;
  if (!ari) return { renew_at: fallback, ari_id: null, ari_next_at: null };
  log(
    `the CA suggests renewing between ${new Date(ari.window.start).toISOString()} and ${new Date(ari.window.end).toISOString()}`,
  );
  return { renew_at: ari.renewAt, ari_id: id, ari_next_at: ari.nextCheck };
}

/**
 * The daily scan's look at a certificate's ARI window (it may move earlier: a revocation, an
 * incident): the renewal and the next check from the answer; unanswered, tomorrow again (and
 * the task's log says why).
 */
export async function refreshPlan(
  s: AcmeSettings,
  row: { ari_id: string | null; renew_at: number | null },
  now: number,
  log: (line: string) => void,
): Promise<Pick<RenewalPlan, "ari_next_at"> & { renew_at?: number }> {
  if (!row.ari_id) return { ari_next_at: null };
  const ari = await askAri(s, row.ari_id, { now }).catch((err: unknown) => {
    log(`the CA's renewal information about ${row.ari_id} could not be read: ${failed(err)}`);
    return undefined;
  });
  if (ari === null) log(`the CA gave no renewal window for ${row.ari_id}: asking again tomorrow`);
  if (!ari) return { ari_next_at: now + DAY };
  return { renew_at: ari.renewAt, ari_next_at: ari.nextCheck };
}
