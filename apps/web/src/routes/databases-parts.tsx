// What the database pages share (issue 14): the API's shapes, the servers one may pick (by
// name), an engine's and a placement's words, a connection test's diagnostics in words, and
// an account's sizes (charted by components/size-chart.tsx).
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode, SelectHTMLAttributes } from "react";
import { Alert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, type Item, type Schema, unwrap } from "../lib/api.ts";
import { cn } from "../lib/cn.ts";
import { formatBytes, formatDateTime } from "../lib/format.ts";
import { AccountSelect } from "./tasks-parts.tsx";

export type DbServer = Item<"/api/v1/database-servers">;
export type Database = Item<"/api/v1/databases">;
export type DbUser = Item<"/api/v1/database-users">;
export type ConnectionReport = Schema<"/api/v1/database-servers/{id}/test", "post">;
export type AccountSizes = Schema<"/api/v1/accounts/{id}/database-sizes", "get">;

export const ENGINES = [
  { value: "mariadb", label: "MariaDB" },
  { value: "postgres", label: "PostgreSQL" },
] as const;
export type Engine = (typeof ENGINES)[number]["value"];
/** An engine from the URL (`?engine=`), or none when it is not one. */
export const engineOf = (value: string | undefined): Engine | undefined =>
  ENGINES.find((e) => e.value === value)?.value;

export const engineName = (engine: string) =>
  ENGINES.find((e) => e.value === engine)?.label ?? engine;

/** "PostgreSQL on node web-1", "MariaDB at db.example.com:3306" */
export function placementText(s: DbServer, nodeName: (id: string) => string): string {
  if (s.placement === "on-node") return `on node ${nodeName(s.nodeId ?? "")}`;
  const via = s.viaNodeId ? `, through node ${nodeName(s.viaNodeId)}` : "";
  return `external at ${s.host}:${s.port}${via}`;
}

/** "PostgreSQL 15.18" of "PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, …" */
export const shortVersion = (version: string | null) =>
  version === null ? null : (version.split(/ \(| on /)[0] ?? version);

export const sizeText = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined ? "not sized yet" : formatBytes(bytes);

/** The servers one may see (the first 200, by name), for filters, pickers and names. */
export function useServerOptions() {
  return useQuery({
    queryKey: ["database-servers", "options"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/database-servers", {
          params: { query: { limit: 200, sort: "name" } },
        }),
      ).items,
    staleTime: 30_000,
  });
}

/** A filter on one server, by name (an unknown id stays selectable). */
export function ServerSelect({
  value,
  onChange,
  allLabel = "All servers",
  className,
  ...rest
}: {
  value: string;
  onChange: (id: string) => void;
  allLabel?: string;
  className?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "value" | "onChange">) {
  const servers = useServerOptions();
  const items = servers.data ?? [];
  return (
    <Select
      aria-label={rest.id ? undefined : "Server"}
      {...rest}
      className={cn("w-52", className)}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">{allLabel}</option>
      {value && !items.some((s) => s.id === value) ? <option value={value}>{value}</option> : null}
      {items.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name} ({engineName(s.engine)})
        </option>
      ))}
    </Select>
  );
}

/** The engine filter of the databases and users lists. */
export function EngineSelect({
  value,
  onChange,
}: {
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <Select
      aria-label="Engine"
      className="w-40"
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">All engines</option>
      {ENGINES.map((e) => (
        <option key={e.value} value={e.value}>
          {e.label}
        </option>
      ))}
    </Select>
  );
}

/** What the databases and users lists filter on, from the URL. */
export interface ItemFilters {
  account?: string;
  server?: string;
  engine?: string;
}

/** The API's query for those filters (an unknown engine left out). */
export const itemQuery = (search: ItemFilters) => ({
  account: search.account || undefined,
  server: search.server || undefined,
  engine: engineOf(search.engine),
});

/** The filters of the databases and users lists: server, account and engine, by name. */
export function ItemFilterControls({
  search,
  set,
}: {
  search: ItemFilters;
  set: (patch: ItemFilters) => void;
}) {
  return (
    <>
      <ServerSelect value={search.server ?? ""} onChange={(v) => set({ server: v || undefined })} />
      <AccountSelect
        value={search.account ?? ""}
        onChange={(v) => set({ account: v || undefined })}
      />
      <EngineSelect value={search.engine ?? ""} onChange={(v) => set({ engine: v || undefined })} />
    </>
  );
}

export function DbLink({
  to,
  id,
  children,
  className,
}: {
  to: "/database-servers/$id" | "/databases/$id";
  id: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Link
      to={to}
      params={{ id }}
      className={cn("font-medium text-primary hover:underline break-all", className)}
    >
      {children}
    </Link>
  );
}

/** The last connection test in one badge: the version, or the kind of problem. */
export function TestBadge({ report }: { report: ConnectionReport | null }) {
  if (!report) return <Badge>not tested</Badge>;
  if (report.ok) return <Badge tone="ok">connected</Badge>;
  return <Badge tone="danger">{report.problems[0]?.kind ?? "failed"}</Badge>;
}

const KIND_WORDS: Record<string, string> = {
  refused: "Connection refused",
  unreachable: "Not reachable",
  timeout: "No answer in time",
  tls: "TLS problem",
  authentication: "Authentication failed",
  privilege: "Missing privilege",
  policy: "Refused by the outbound policy",
  other: "Problem",
};

/** A connection test in words: what connected, or each problem with what to do. */
export function TestReport({ report, at }: { report: ConnectionReport; at?: string | null }) {
  const when = at ? ` (${formatDateTime(at)})` : "";
  if (report.ok)
    return (
      <Alert tone="ok">
        Connected{when}: {report.version ?? "version not known"}; {report.databases ?? 0}{" "}
        database(s), {sizeText(report.sizeBytes)} together.
      </Alert>
    );
  return (
    <Alert tone="error">
      <p className="font-medium">The connection test failed{when}</p>
      <ul className="mt-1 grid gap-1">
        {report.problems.map((p) => (
          <li key={`${p.kind}-${p.message}`} className="wrap-anywhere">
            <strong>{KIND_WORDS[p.kind] ?? p.kind}:</strong> {p.message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** An account's databases together: the sum now, how many, and the chart of its days. */
export function useAccountSizes(accountId: string | undefined) {
  return useQuery({
    queryKey: ["database-sizes", "account", accountId],
    enabled: accountId !== undefined && accountId !== "",
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/accounts/{id}/database-sizes", {
          params: { path: { id: accountId ?? "" } },
        }),
      ),
    retry: false,
  });
}

/** The days of an account's sizes as chart points (each day at its start). */
export const dayPoints = (sizes: AccountSizes) =>
  sizes.days.map((d) => ({ at: `${d.day}T00:00:00.000Z`, sizeBytes: d.sizeBytes }));
