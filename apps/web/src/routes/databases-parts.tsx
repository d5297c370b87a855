// What the database pages share (issue 14): the API's shapes, the servers one may pick (by
// name), an engine's and a placement's words, a connection test's diagnostics in words, and
// a size history as a hand-drawn SVG chart.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode, SelectHTMLAttributes } from "react";
import { Alert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, type Item, type Schema, unwrap } from "../lib/api.ts";
import { cn } from "../lib/cn.ts";
import { formatBytes, formatDateTime } from "../lib/format.ts";

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

const WIDTH = 720;
const HEIGHT = 140;
const PAD = 6;
/** at least this many bar slots, so a few days stay narrow bars on the right */
const SLOTS = 30;

interface SizePoint {
  at: string;
  sizeBytes: number;
}

/** Each point as a bar from the bottom, newest on the right (an account's days). */
function Bars({ points, top, when }: { points: SizePoint[]; top: number; when: Format }) {
  const slots = Math.max(SLOTS, points.length);
  const step = WIDTH / slots;
  return points.map((p, i) => {
    const height = (p.sizeBytes / top) * (HEIGHT - PAD);
    return (
      <rect
        key={p.at}
        x={(slots - points.length + i) * step + step * 0.15}
        y={HEIGHT - height}
        width={step * 0.7}
        height={height}
        className="fill-primary"
        opacity={0.7}
      >
        <title>{`${when(p.at)}: ${formatBytes(p.sizeBytes)}`}</title>
      </rect>
    );
  });
}

/** The points as a line with the area under it; one point is a level line. */
function Line({ points, top }: { points: SizePoint[]; top: number }) {
  const shown = points.length === 1 && points[0] ? [points[0], points[0]] : points;
  const step = (WIDTH - 2 * PAD) / Math.max(1, shown.length - 1);
  const xy = shown.map((p, i) => ({
    x: PAD + i * step,
    y: HEIGHT - PAD - (p.sizeBytes / top) * (HEIGHT - 2 * PAD),
  }));
  const line = xy.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join("");
  const area = `${line}L${xy.at(-1)?.x.toFixed(1)},${HEIGHT}L${xy[0]?.x.toFixed(1)},${HEIGHT}Z`;
  return (
    <>
      <path d={area} className="fill-primary" opacity={0.15} />
      <path
        d={line}
        fill="none"
        className="stroke-primary"
        strokeWidth={2}
        vectorEffect="non-scaling-stroke"
      />
    </>
  );
}

type Format = (iso: string | undefined) => string;
const formatDay: Format = (iso) => (iso ? iso.slice(0, 10) : "");

/**
 * Sizes over time, oldest on the left, from zero to the largest: a line (a database's
 * measurements) or a bar per day (`days`: an account's sums). Its accessible name says the
 * first and last sizes and the largest.
 */
export function SizeChart({
  points,
  label,
  days,
}: {
  points: SizePoint[];
  label: string;
  days?: boolean;
}) {
  if (points.length === 0)
    return (
      <p className="text-sm text-fg-muted">
        No sizes yet: the hourly task database.sizes measures every database.
      </p>
    );
  const when: Format = days ? formatDay : formatDateTime;
  const top = Math.max(1, ...points.map((p) => p.sizeBytes));
  const first = points[0];
  const last = points.at(-1);
  const summary = `${label}: ${formatBytes(first?.sizeBytes ?? 0)} on ${when(first?.at)}, ${formatBytes(last?.sizeBytes ?? 0)} on ${when(last?.at)}, at most ${formatBytes(top)}.`;
  return (
    <figure className="grid gap-2">
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="h-36 w-full rounded-md border border-border bg-bg"
      >
        {days ? <Bars points={points} top={top} when={when} /> : <Line points={points} top={top} />}
      </svg>
      <figcaption className="flex flex-wrap justify-between gap-2 text-xs text-fg-muted">
        <span>{days ? `${Math.max(SLOTS, points.length)} days ago` : when(first?.at)}</span>
        <span>top {formatBytes(top)}</span>
        <span>{when(last?.at)}</span>
      </figcaption>
    </figure>
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
