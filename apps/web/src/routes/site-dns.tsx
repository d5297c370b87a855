// A site's DNS records in the zones Steward manages (docs/dns.md, "Sites"): the new-site form's
// offer to add A/AAAA records for its names (checked by default once a zone of the account
// covers a name), and the site page's card of the records those zones hold for its names.
import { useQueries, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { TextField } from "../components/text-field.tsx";
import { Card } from "../components/ui/card.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { ApiError, fieldError } from "../lib/errors.ts";
import type { Zone } from "./dns-parts.tsx";
import type { Site } from "./hosting-parts.tsx";

/** The zones one may read (the first 200), for matching names against. */
function useZones() {
  return useQuery({
    queryKey: ["dns-zones", "all"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/dns/zones", { params: { query: { limit: 200 } } })).items,
    staleTime: 30_000,
    retry: false,
  });
}

/** The longest zone covering a name, as the API picks it; `inside`: the name in the zone. */
export function coveringZone(zones: Zone[], name: string) {
  const fqdn = name.toLowerCase().replace(/\.$/, "");
  const covering = zones
    .filter((z) => fqdn === z.name || fqdn.endsWith(`.${z.name}`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!covering) return undefined;
  const inside = fqdn === covering.name ? "@" : fqdn.slice(0, -covering.name.length - 1);
  return { zone: covering, inside };
}

/** The managed zones (of `account`, when one is picked) that cover some of `names`. */
export function useCoveredNames(names: string[], account: string) {
  const zones = useZones();
  const mine = (zones.data ?? []).filter((z) => !account || z.accountId === account);
  return names.flatMap((name) => {
    const covered = coveringZone(mine, name);
    return covered ? [{ name, ...covered }] : [];
  });
}

export interface DnsOffer {
  wanted: boolean;
  ipv4: string;
  ipv6: string;
}

/** The body's `dnsRecords` for an offer, when it is taken. */
export const dnsRecordsOf = (offer: DnsOffer) =>
  offer.wanted
    ? { ipv4: offer.ipv4.trim() || undefined, ipv6: offer.ipv6.trim() || undefined }
    : undefined;

export const DNS_FIELDS = ["dnsRecords"];

/** The offer's errors but the addresses' own: the zone's rules refusing a record. */
function recordsError(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const lines = Object.entries(error.fields)
    .filter(([field]) => field.startsWith("dnsRecords") && !/\.ipv[46]$/.test(field))
    .map(([, message]) => message);
  return lines.length ? lines.join("\n") : undefined;
}

/** The new-site form's offer: shown once a managed zone covers one of the names. */
export function SiteDnsOffer({
  covered,
  offer,
  onOffer,
  error,
}: {
  covered: { name: string; zone: Zone }[];
  offer: DnsOffer;
  onOffer: (offer: DnsOffer) => void;
  error: unknown;
}) {
  if (!covered.length) return null;
  const zones = [...new Set(covered.map((c) => c.zone.name))].join(", ");
  return (
    <div className="grid gap-3 rounded-md border border-border p-3">
      <Checkbox
        label="Add its DNS records"
        hint={`A/AAAA records for ${covered.map((c) => c.name).join(", ")} in the zone${covered.length > 1 ? "s" : ""} Steward serves (${zones}).`}
        checked={offer.wanted}
        onChange={(wanted) => onOffer({ ...offer, wanted })}
      />
      {recordsError(error) ? (
        <p className="text-sm whitespace-pre-line text-danger wrap-anywhere" role="alert">
          {recordsError(error)}
        </p>
      ) : null}
      {offer.wanted ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="IPv4 address"
            error={fieldError(error, "dnsRecords.ipv4")}
            value={offer.ipv4}
            onValue={(ipv4) => onOffer({ ...offer, ipv4 })}
            placeholder="192.0.2.1"
            code
          />
          <TextField
            label="IPv6 address"
            error={fieldError(error, "dnsRecords.ipv6")}
            value={offer.ipv6}
            onValue={(ipv6) => onOffer({ ...offer, ipv6 })}
            placeholder="2001:db8::1"
            code
          />
        </div>
      ) : null}
    </div>
  );
}

/** The site page's card: the A/AAAA/CNAME records the managed zones hold for its names. */
export function SiteDnsCard({ site }: { site: Site }) {
  const covered = useCoveredNames([...site.domains, ...site.aliases], site.accountId);
  const zoneIds = [...new Set(covered.map((c) => c.zone.id))];
  const records = useQueries({
    queries: zoneIds.map((id) => ({
      queryKey: ["dns-records", id],
      queryFn: async () =>
        unwrap(await api.GET("/api/v1/dns/zones/{id}/records", { params: { path: { id } } })).items,
    })),
  });
  if (!covered.length) return null;
  const rows = covered.flatMap((c) => {
    const items = records[zoneIds.indexOf(c.zone.id)]?.data ?? [];
    return items
      .filter((r) => r.name === c.inside && ["A", "AAAA", "CNAME"].includes(r.type))
      .map((r) => ({ ...r, fqdn: c.name, zone: c.zone }));
  });
  return (
    <Card title="DNS records">
      {rows.length ? (
        <table className="w-full text-left text-sm" aria-label="The site's DNS records">
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-border first:border-t-0">
                <td className="py-1.5 pr-3 font-mono wrap-anywhere">{r.fqdn}</td>
                <td className="py-1.5 pr-3">{r.type}</td>
                <td className="py-1.5 pr-3 font-mono wrap-anywhere">{r.value}</td>
                <td className="py-1.5 text-right">
                  <Link
                    to="/dns/$id"
                    params={{ id: r.zone.id }}
                    className="text-primary hover:underline"
                  >
                    {r.zone.name}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-fg-muted">
          A zone Steward serves covers its names, but holds no address records for them.
        </p>
      )}
    </Card>
  );
}
