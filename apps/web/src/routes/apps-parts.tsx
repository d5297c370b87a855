// What the apps pages share: an app's state at a glance, its queries, and the account a list
// shows (the first the caller reads, or the one chosen).
import { useQuery } from "@tanstack/react-query";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";

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

export function useApps(account: string | undefined) {
  return useQuery({
    queryKey: ["apps", account],
    enabled: Boolean(account),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/apps", { params: { query: { account: account ?? "" } } }))
        .items,
    refetchInterval: (q) => (q.state.data?.some((a) => a.status === "deploying") ? 2_000 : false),
  });
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
