// Pieces the DNS pages share: their types, a zone's status badge and what its node serves, the
// record types, and the zone's query (refreshed while a task works on it).
import { useQuery } from "@tanstack/react-query";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { api, type Item, type Schema, unwrap } from "../lib/api.ts";
import { BackLink } from "./access-parts.tsx";

export type Zone = Item<"/api/v1/dns/zones">;
export type ZoneInfo = Schema<"/api/v1/dns/zones/{id}", "get">;
export type DnsRecord = Schema<"/api/v1/dns/zones/{id}/records", "get">["items"][number];

export const RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA", "NS", "PTR"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** What a value of each type looks like, as the API takes it (docs/dns.md). */
export const VALUE_HINTS: Record<RecordType, string> = {
  A: "192.0.2.1",
  AAAA: "2001:db8::1",
  CNAME: "www.example.net.",
  MX: "10 mail",
  TXT: "v=spf1 mx -all",
  SRV: "10 5 5060 sip",
  CAA: '0 issue "letsencrypt.org"',
  NS: "ns1.example.net.",
  PTR: "host.example.com.",
};

const tones: Record<string, BadgeTone> = {
  pending: "info",
  active: "ok",
  failed: "danger",
  deleting: "neutral",
};

export const zoneBusy = (z: { status: string }) =>
  z.status === "pending" || z.status === "deleting";

export function ZoneStatusBadge({ status }: { status: string }) {
  return <Badge tone={tones[status] ?? "neutral"}>{status}</Badge>;
}

/** Whether the node serves the zone's latest serial, in words. */
export function servedText(zone: Pick<Zone, "serial" | "appliedSerial">): string {
  if (zone.appliedSerial === null) return "not served yet";
  if (zone.appliedSerial === zone.serial) return `serial ${zone.serial} served`;
  return `serial ${zone.serial}, node serves ${zone.appliedSerial}`;
}

export function useZone(id: string) {
  return useQuery({
    queryKey: ["dns-zone", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/dns/zones/{id}", { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && zoneBusy(q.state.data) ? 2_000 : 15_000),
  });
}

export function useRecords(id: string) {
  return useQuery({
    queryKey: ["dns-records", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/dns/zones/{id}/records", { params: { path: { id } } })).items,
  });
}

export const ZonesBackLink = () => <BackLink to="/dns" label="DNS zones" />;
