// A mail domain's DNS panel (docs/mail.md#dkim-spf-and-dmarc): its DKIM key (selector and
// state, a button to rotate it), and each record it needs (MX, SPF, DKIM, DMARC) with its
// state in live DNS (ok, missing, wrong: what was expected and found) and a copy button.
// The records are set in the account's zone when Steward manages it, else to copy.
import { useQuery } from "@tanstack/react-query";
import { RefreshCw, RotateCw } from "lucide-react";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { MailDomain } from "./mail-parts.tsx";
import { CopyButton } from "./profile-parts.tsx";

export type Dkim = Schema<"/api/v1/mail/domains/{id}/dkim", "get">;
type Checked = Schema<"/api/v1/mail/domains/{id}/dns-check", "get">["records"][number];

const tones: Record<string, BadgeTone> = {
  ok: "ok",
  missing: "danger",
  wrong: "warn",
  pending: "info",
  active: "ok",
  failed: "danger",
};
const KIND = { mx: "MX", spf: "SPF", dkim: "DKIM", dmarc: "DMARC" } as const;

/** The domain's DKIM key, its records and their policy (polled while a key is made). */
export function useMailDkim(domainId: string) {
  return useQuery({
    queryKey: ["mail-dkim", domainId],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/mail/domains/{id}/dkim", { params: { path: { id: domainId } } }),
      ),
    refetchInterval: (q) => (q.state.data?.status === "pending" ? 2_000 : false),
  });
}

export function MailDnsCard({ domain, canEdit }: { domain: MailDomain; canEdit: boolean }) {
  const dkim = useMailDkim(domain.id);
  const check = useQuery({
    queryKey: ["mail-dns-check", domain.id, dkim.data?.status, dkim.data?.selector],
    enabled: dkim.isSuccess,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/mail/domains/{id}/dns-check", {
          params: { path: { id: domain.id } },
        }),
      ),
  });
  const rotate = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/mail/domains/{id}/dkim/rotate", {
          params: { path: { id: domain.id } },
          body: {},
        }),
      ),
    { invalidate: [["mail-dkim", domain.id]] },
  );
  const d = dkim.data;
  return (
    <Card title="DNS" className="lg:col-span-2">
      <div className="grid gap-3">
        <ErrorAlert error={dkim.error ?? check.error ?? rotate.error} />
        {d ? <DkimLine dkim={d} /> : <p className="text-sm text-fg-muted">Loading…</p>}
        {d ? (
          <p className="text-sm text-fg-muted">
            {d.zoneId
              ? "Steward sets these records in the domain's zone, which it manages."
              : "No zone of this account covers the domain here: copy these records into its DNS."}
          </p>
        ) : null}
        {d ? <RecordList records={check.data?.records ?? null} expected={d.records} /> : null}
        <div className="flex flex-wrap items-center justify-end gap-2">
          {check.data ? (
            <span className="mr-auto text-xs text-fg-muted">Asked {check.data.resolver}</span>
          ) : null}
          <Button
            variant="secondary"
            size="sm"
            busy={check.isFetching}
            onClick={() => check.refetch()}
          >
            <RefreshCw className="h-4 w-4" aria-hidden="true" /> Check again
          </Button>
          {canEdit ? (
            <Button size="sm" busy={rotate.isPending} onClick={() => rotate.mutate(undefined)}>
              <RotateCw className="h-4 w-4" aria-hidden="true" />
              {d?.selector ? "Rotate DKIM key" : "Turn on DKIM"}
            </Button>
          ) : null}
        </div>
      </div>
    </Card>
  );
}

function DkimLine({ dkim }: { dkim: Dkim }) {
  if (!dkim.selector)
    return <p className="text-sm">No DKIM key yet: mail from this domain is not signed.</p>;
  return (
    <div className="grid gap-1 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        DKIM selector <code className="font-mono">{dkim.selector}</code>
        {dkim.status ? <Badge tone={tones[dkim.status] ?? "neutral"}>{dkim.status}</Badge> : null}
        {dkim.retired.length ? (
          <span className="text-fg-muted">still published: {dkim.retired.join(", ")}</span>
        ) : null}
      </p>
      {dkim.lastError && dkim.status !== "active" ? (
        <p className="text-danger wrap-anywhere">{dkim.lastError}</p>
      ) : null}
    </div>
  );
}

function RecordList({
  records,
  expected,
}: {
  records: Checked[] | null;
  expected: Dkim["records"];
}) {
  const rows: (Dkim["records"][number] & Partial<Checked>)[] = records ?? expected;
  return (
    <ul className="grid gap-3" aria-label="DNS records">
      {rows.map((r) => (
        <li
          key={`${r.kind} ${r.fqdn}`}
          className="grid gap-1 border-t border-border pt-3 first:border-t-0 first:pt-0"
        >
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{KIND[r.kind]}</span>
            {r.state ? (
              <Badge tone={tones[r.state] ?? "neutral"}>{r.state}</Badge>
            ) : (
              <Badge tone="neutral">checking</Badge>
            )}
            <code className="font-mono text-sm break-all">
              {r.fqdn} {r.type}
            </code>
            {r.value ? (
              <span className="ml-auto">
                <CopyButton text={r.value} label={`the ${KIND[r.kind]} record`} />
              </span>
            ) : null}
          </div>
          <code className="font-mono text-xs break-all text-fg-muted">
            {r.value || "any MX record (the node has no host name for one)"}
          </code>
          {r.state === "wrong" && r.found?.length ? (
            <p className="text-xs break-all">
              Found: <code className="font-mono">{r.found.join(" | ")}</code>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
