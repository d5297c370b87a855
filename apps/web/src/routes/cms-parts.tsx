// Pieces the CMS fleet's screens share (docs/cms.md): their types, the query of one site, and
// the badges of a site's connection and updates.
import { useQuery } from "@tanstack/react-query";
import { Badge } from "../components/ui/badge.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";

export type CmsSite = Item<"/api/v1/cms-sites">;
export type CmsDiagnosis = NonNullable<CmsSite["diagnosis"]>;

export const cmsKeys = {
  list: (account: string) => ["cms-sites", account] as const,
  one: (id: string) => ["cms-sites", "one", id] as const,
};

export function useCmsSite(id: string) {
  return useQuery({
    queryKey: cmsKeys.one(id),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/cms-sites/{id}", { params: { path: { id } } })),
    // a refresh or an update runs as a task: follow it until it lands
    refetchInterval: 5_000,
  });
}

/** The connection as the last diagnosis saw it. */
export function ConnectionBadge({ diagnosis }: { diagnosis: CmsSite["diagnosis"] }) {
  if (!diagnosis) return <Badge>not diagnosed</Badge>;
  const error = diagnosis.problems.find((p) => p.severity === "error");
  if (error) return <Badge tone="danger">{error.code}</Badge>;
  const warning = diagnosis.problems[0];
  return warning ? <Badge tone="warn">{warning.code}</Badge> : <Badge tone="ok">connected</Badge>;
}

/** How many updates the last refresh found. */
export function UpdatesBadge({ site }: { site: CmsSite }) {
  if (site.refreshedAt === null) return <Badge>not refreshed</Badge>;
  const n = site.updatesAvailable;
  return n === 0 ? (
    <Badge tone="ok">up to date</Badge>
  ) : (
    <Badge tone="warn">{n === 1 ? "1 update" : `${n} updates`}</Badge>
  );
}

/** The connector plugin's zip (same origin: the session's cookie goes with it). */
export const CONNECTOR_ZIP = "/api/v1/cms-sites/connector/wordpress.zip";
