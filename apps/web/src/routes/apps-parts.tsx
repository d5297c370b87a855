// What the apps pages share: an app's state at a glance, the list's filters and pages, an app's
// query.
import { useQuery } from "@tanstack/react-query";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { type Page, usePaged } from "../lib/paging.ts";

export type AppInfo = Schema<"/api/v1/apps/{id}", "get">;

const TONES: Record<string, BadgeTone> = {
  running: "ok",
  deploying: "info",
  stopped: "neutral",
  failed: "danger",
  succeeded: "ok",
  queued: "info",
};

export function AppStatus({ status }: { status: string }) {
  return <Badge tone={TONES[status] ?? "neutral"}>{status}</Badge>;
}

export const APP_STATUSES = ["deploying", "running", "stopped", "failed"] as const;
export const APP_SOURCES = [
  { value: "image", label: "Image" },
  { value: "git", label: "Git" },
  { value: "compose", label: "Compose" },
] as const;
type AppStatusName = (typeof APP_STATUSES)[number];
type AppSource = (typeof APP_SOURCES)[number]["value"];

/** The apps list's filters as the URL keeps them (`?account=&node=&status=&source=&q=`). */
export interface AppFilters {
  account?: string;
  node?: string;
  status?: string;
  source?: string;
  q?: string;
}

/** The API's query for those filters (an unknown status or source left out). */
export const appQuery = (f: AppFilters) => ({
  account: f.account || undefined,
  node: f.node || undefined,
  status: APP_STATUSES.find((s) => s === f.status) as AppStatusName | undefined,
  source: APP_SOURCES.find((s) => s.value === f.source)?.value as AppSource | undefined,
  q: f.q || undefined,
});

/** The apps matching the filters, a page at a time, refreshed while one deploys. */
export function useAppList(filters: AppFilters) {
  const query = appQuery(filters);
  return usePaged(
    ["apps", query],
    async (cursor, limit) =>
      unwrap(await api.GET("/api/v1/apps", { params: { query: { ...query, cursor, limit } } })),
    {
      refetchInterval: (q) =>
        (q.state.data as Page<AppInfo> | undefined)?.items.some((a) => a.status === "deploying")
          ? 2_000
          : false,
    },
  );
}

export function useApp(id: string) {
  return useQuery({
    queryKey: ["app", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/apps/{id}", { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data?.status === "deploying" ? 2_000 : false),
  });
}

/** "18080->8080/tcp, 5353->53/udp" */
export const portsText = (ports: AppInfo["ports"]) =>
  ports.map((p) => `${p.host ?? "?"}→${p.container}/${p.protocol}`).join(", ") || "none";
