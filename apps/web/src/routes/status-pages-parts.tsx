// Pieces the status pages' screens share: their types, the public page's link, the monitors
// an account's page may list (for the picker) and the page's query.
import { useQuery } from "@tanstack/react-query";
import { ExternalLink } from "lucide-react";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { api, type Item, type Schema, unwrap } from "../lib/api.ts";

export type StatusPage = Item<"/api/v1/status-pages">;
export type Incident = Schema<"/api/v1/status-pages/{id}/incidents", "get">[number];

export const SEVERITIES = ["minor", "major", "critical", "maintenance"] as const;
export type Severity = (typeof SEVERITIES)[number];

const tones: Record<string, BadgeTone> = {
  minor: "warn",
  major: "danger",
  critical: "danger",
  maintenance: "info",
};

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={tones[severity] ?? "neutral"}>{severity}</Badge>;
}

/** The public page, opened in a new tab (it needs no session). */
export function PublicLink({ path, label }: { path: string; label?: string }) {
  return (
    <a
      href={path}
      target="_blank"
      rel="noopener noreferrer"
      className="inline-flex items-center gap-1 font-mono text-xs text-primary hover:underline"
    >
      {label ?? path}
      <ExternalLink className="h-3 w-3" aria-hidden="true" />
      <span className="sr-only">(opens in a new tab)</span>
    </a>
  );
}

/** The monitors of an account (the default account's when none is given), by name. */
export function useAccountMonitors(account: string | undefined) {
  return useQuery({
    queryKey: ["monitors", "options", account ?? ""],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/monitors", { params: { query: { account, limit: 100 } } }),
      ).items.filter((m) => m.accountId !== null && (!account || m.accountId === account)),
    staleTime: 30_000,
  });
}

export function useStatusPage(id: string) {
  return useQuery({
    queryKey: ["status-page", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/status-pages/{id}", { params: { path: { id } } })),
  });
}
