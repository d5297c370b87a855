// What the mail pages share: a domain as the API answers it, its state badge, and whether a
// task is still working on it.
import { useQuery } from "@tanstack/react-query";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";

export type MailDomain = Schema<"/api/v1/mail/domains/{id}", "get">;
/** a domain as the list answers it (without `spamAvailable`) */
export type MailDomainListed = Schema<"/api/v1/mail/domains", "get">["items"][number];

const tones: Record<string, BadgeTone> = {
  pending: "info",
  active: "ok",
  failed: "danger",
  deleting: "neutral",
};

export function MailStatusBadge({ status }: { status: string }) {
  return <Badge tone={tones[status] ?? "neutral"}>{status}</Badge>;
}

export const mailBusy = (d: Pick<MailDomain, "status">) =>
  d.status === "pending" || d.status === "deleting";

export function useMailDomain(id: string) {
  return useQuery({
    queryKey: ["mail-domain", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/mail/domains/{id}", { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && mailBusy(q.state.data) ? 2_000 : 15_000),
  });
}

/** The domain's certificate: the site named, and how the node serves it (docs/mail.md#tls). */
export function certificateText(d: Pick<MailDomain, "certificateSite" | "certificateServed">) {
  if (!d.certificateSite) return "the node's own";
  const how = {
    default: "the node's mail certificate, served to every client",
    sni: "served by SNI to the site's names under this domain",
    none: "not served: the site has no name under this domain",
  }[d.certificateServed ?? "none"];
  return `the site ${d.certificateSite}'s (${how})`;
}
