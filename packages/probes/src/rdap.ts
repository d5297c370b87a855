// Domain registration expiry over RDAP (RFC 9082/9083): the registry's server from the IANA
// bootstrap (./rdap-bootstrap.ts), `GET <base>domain/<name>` with `Accept:
// application/rdap+json` through the outbound policy, then the `expiration` event: degraded
// within `warnDays`, down once passed, down when the registry does not know the name.
import type { MonitorOf } from "@steward/contracts/monitors";
import { outboundRequest } from "./outbound-http.ts";
import { rdapServer } from "./rdap-bootstrap.ts";
import { down, type ProbeDeps, type ProbeResult, reason, since, whoOf } from "./types.ts";

const DAY = 86_400_000;

/** The `expiration` event's date of an RDAP domain answer, or null. */
export function expirationOf(document: unknown): number | null {
  const events = (document as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return null;
  for (const event of events) {
    const { eventAction, eventDate } = (event ?? {}) as Record<string, unknown>;
    if (eventAction !== "expiration" || typeof eventDate !== "string") continue;
    const at = Date.parse(eventDate);
    if (Number.isFinite(at)) return at;
  }
  return null;
}

export async function probeRdap(
  s: MonitorOf<"rdap">,
  timeoutMs: number,
  deps: ProbeDeps,
): Promise<ProbeResult> {
  const domain = s.domain.toLowerCase().replace(/\.$/, "");
  const started = performance.now();
  let answer: Awaited<ReturnType<typeof outboundRequest>>;
  try {
    const base = await rdapServer(domain, deps, timeoutMs);
    if (!base) return down(`no RDAP server is known for ${domain} (IANA bootstrap)`);
    answer = await outboundRequest(
      {
        field: "rdap server",
        method: "GET",
        url: `${base}domain/${encodeURIComponent(domain)}`,
        headers: { accept: "application/rdap+json", "user-agent": "Steward-Monitor/1" },
        redirects: "all",
      },
      { ...deps, who: whoOf(deps), timeoutMs, maxBytes: 1024 * 1024 },
    );
  } catch (error) {
    return down(reason(error));
  }
  const ms = since(started);
  if (answer.status === 404) return down(`${domain} is not registered (RDAP answered 404)`, ms);
  if (answer.status !== 200) return down(`the RDAP server answered ${answer.status}`, ms);
  let expires: number | null;
  try {
    expires = expirationOf(JSON.parse(answer.body));
  } catch {
    return down("the RDAP answer is not JSON", ms);
  }
  if (expires === null)
    return { outcome: "up", responseMs: ms, message: `${domain} is registered; no expiry given` };
  const days = Math.floor((expires - (deps.now?.() ?? Date.now())) / DAY);
  const date = new Date(expires).toISOString().slice(0, 10);
  if (days < 0) return down(`${domain} expired on ${date}`, ms);
  const message = `${domain} expires on ${date}, in ${days} day(s)`;
  return { outcome: days < s.warnDays ? "degraded" : "up", responseMs: ms, message };
}
