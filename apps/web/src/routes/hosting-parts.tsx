// Pieces the nodes and sites pages share: their types, state badges and state column, the nodes one may pick,
// relative times, label/value rows, and the one-time enrollment command.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import type { Column } from "../components/data-table.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, type Item, type Schema, unwrap } from "../lib/api.ts";
import { formatDateTime, formatRelative } from "../lib/format.ts";
import { useMe } from "../lib/session.ts";
import { SecretValue } from "./profile-parts.tsx";

export type NodeSummary = Item<"/api/v1/nodes">;
export type NodeInfo = Schema<"/api/v1/nodes/{id}", "get">;
export type Site = Item<"/api/v1/sites">;
export type EnrollmentToken = Schema<"/api/v1/nodes/{id}/enrollment-token", "post">;

export const NODE_STATES = ["pending", "trusted", "unreachable", "revoked"] as const;
export const SITE_STATUSES = ["pending", "active", "failed", "suspended", "deleting"] as const;
export type NodeState = (typeof NODE_STATES)[number];
export type SiteStatus = (typeof SITE_STATUSES)[number];
/** A guard for one of a page's filter values (a state in the URL may be anything). */
export const isOneOf =
  <T extends string>(values: readonly T[]) =>
  (s: string | undefined): s is T =>
    values.includes(s as T);
export const isNodeState = isOneOf(NODE_STATES);
export const isSiteStatus = isOneOf(SITE_STATUSES);

/** Statuses that change on their own soon (a task is at work): lists refresh while shown. */
export const siteBusy = (s: { status: string }) =>
  s.status === "pending" || s.status === "deleting";
export const BUSY_REFRESH_MS = 3_000;

const nodeTones: Record<string, BadgeTone> = {
  pending: "warn",
  trusted: "ok",
  unreachable: "danger",
  revoked: "neutral",
};
const siteTones: Record<string, BadgeTone> = {
  pending: "info",
  active: "ok",
  failed: "danger",
  suspended: "warn",
  deleting: "neutral",
};

export function NodeStateBadge({ state }: { state: string }) {
  return <Badge tone={nodeTones[state] ?? "neutral"}>{state}</Badge>;
}

export function SiteStatusBadge({ status }: { status: string }) {
  return <Badge tone={siteTones[status] ?? "neutral"}>{status}</Badge>;
}

/** "3 minutes ago", with the full date on hover; a dash for never. */
export function When({
  iso,
  never = "—",
  className,
}: {
  iso: string | null;
  never?: string;
  className?: string;
}) {
  if (!iso) return <span className="text-fg-muted">{never}</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className={className}>
      {formatRelative(iso)}
    </time>
  );
}

/** A date in full with how long ago (or until) in brackets. */
export function At({ iso }: { iso: string | null }) {
  if (!iso) return <span className="text-fg-muted">—</span>;
  return (
    <span>
      <time dateTime={iso}>{formatDateTime(iso)}</time>{" "}
      <span className="text-fg-muted">({formatRelative(iso)})</span>
    </span>
  );
}

/** Label/value rows of a detail card (a `dl`). */
export function Rows({ children }: { children: ReactNode }) {
  return <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[11rem_1fr]">{children}</dl>;
}

export function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-fg-muted">{label}</dt>
      <dd className="min-w-0 wrap-anywhere">{children}</dd>
    </>
  );
}

/** A row whose value is a date in full with how long ago. */
export function AtRow({ label, iso }: { label: string; iso: string | null }) {
  return (
    <Row label={label}>
      <At iso={iso} />
    </Row>
  );
}

/** A row whose value is code-like text: an id, a URL, a fingerprint. */
export function CodeRow({ label, value }: { label: string; value: ReactNode }) {
  return (
    <Row label={label}>
      <span className="font-mono text-xs break-all">{value}</span>
    </Row>
  );
}

/** Long API text cut for a table cell (the detail page shows all of it). */
export function shorten(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A list column: the row's state badge, with its last error cut to `max` under it. */
export function stateColumn<T extends { lastError: string | null }>(
  header: string,
  badge: (row: T) => ReactNode,
  max: number,
): Column<T> {
  return {
    header,
    cell: (row) => (
      <span className="grid justify-items-start gap-1">
        {badge(row)}
        {row.lastError ? (
          <span className="text-xs wrap-anywhere text-fg-muted" title={row.lastError}>
            {shorten(row.lastError, max)}
          </span>
        ) : null}
      </span>
    ),
  };
}

/**
 * The nodes one may pick from (the first 200, every state). Reading nodes needs an
 * installation-wide role: anyone else gets the nodes they may place sites on (enrolled ones,
 * by name), and names of other nodes fall back to ids.
 */
export function useNodeOptions() {
  return useQuery({
    queryKey: ["nodes", "options"],
    queryFn: async (): Promise<{ id: string; name: string; state: NodeState }[]> => {
      const listed = await api.GET("/api/v1/nodes", { params: { query: { limit: 200 } } });
      if (listed.response.status !== 403) return unwrap(listed).items;
      const usable = unwrap(await api.GET("/api/v1/sites/placements"));
      return usable.items.map((n) => ({ ...n, state: "trusted" as const }));
    },
    staleTime: 30_000,
    retry: false,
  });
}

/** A node's name when it is known, else its id. */
export function useNodeName() {
  const nodes = useNodeOptions();
  return (id: string) => nodes.data?.find((n) => n.id === id)?.name ?? id;
}

/** A list's node filter: every node one may pick, "All nodes" for none (sites, apps). */
export function NodeFilter({
  value,
  onChange,
  label = "Node",
}: {
  value: string | undefined;
  onChange: (node: string | undefined) => void;
  /** its accessible name, when the page has another "Node" (a form's) */
  label?: string;
}) {
  const nodes = useNodeOptions();
  if (!nodes.data) return null;
  return (
    <Select
      aria-label={label}
      className="w-48"
      value={value ?? ""}
      onChange={(e) => onChange(e.target.value || undefined)}
    >
      <option value="">All nodes</option>
      {value && !nodes.data.some((n) => n.id === value) ? (
        <option value={value}>{value}</option>
      ) : null}
      {nodes.data.map((n) => (
        <option key={n.id} value={n.id}>
          {n.name}
        </option>
      ))}
    </Select>
  );
}

/** A node's name, a link for those who may open nodes. */
export function NodeLink({ id }: { id: string }) {
  const me = useMe();
  const name = useNodeName()(id);
  if (!me.super) return <span className="break-all">{name}</span>;
  return (
    <Link
      to="/nodes/$id"
      params={{ id }}
      className="break-all text-primary underline underline-offset-2"
    >
      {name}
    </Link>
  );
}

/** The command that enrolls a node, shown once, with its expiry. */
export function EnrollmentCommand({ token }: { token: EnrollmentToken }) {
  return (
    <div className="grid gap-3">
      <p className="text-sm">
        Run this on the server, as root, where <code className="font-mono">steward</code> is
        installed. The token works once and is not shown again.
      </p>
      <SecretValue value={token.command} label="Enrollment command" />
      <p className="text-sm text-fg-muted">
        Expires <At iso={token.expiresAt} />. After that, create a new token on the node's page.
      </p>
    </div>
  );
}
