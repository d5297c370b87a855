// What the events pages share: an event's severity badge, its target as a link to the target's
// page, the types a filter offers, and the columns of a list of events.
import { Link } from "@tanstack/react-router";
import type { Column } from "../components/data-table.tsx";
import { RecordLink, type RecordPath } from "../components/record-link.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import type { Item } from "../lib/api.ts";
import { When } from "./hosting-parts.tsx";

export type DomainEvent = Item<"/api/v1/events">;
type EventType = DomainEvent["type"];

export const SEVERITIES = ["info", "warning", "critical"] as const;
type Severity = DomainEvent["severity"];
const severityTone: Record<Severity, BadgeTone> = {
  info: "info",
  warning: "warn",
  critical: "danger",
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={severityTone[severity]}>{severity}</Badge>;
}

/** Every type the catalogue has (the API's schema checks the list), by family. */
const TYPES = [
  "task.failed",
  "task.recovered",
  "node.unreachable",
  "node.reachable",
  "site.failed",
  "monitor.down",
  "monitor.up",
  "monitor.degraded",
  "monitor.flapping",
  "certificate.expiring",
  "certificate.failed",
  "backup.succeeded",
  "backup.partial",
  "backup.failed",
  "backup.verified",
  "backup.verify_failed",
  "cms.update.available",
  "cms.update.succeeded",
  "cms.update.failed",
  "cms.update.rolled_back",
  "notification.test",
  "notification.digest",
] as const satisfies readonly EventType[];
// a type the API adds without this list being told is a type error here
type Missing = Exclude<EventType, (typeof TYPES)[number]>;
const complete: Missing extends never ? true : false = true;

/** The families ("task.") and their types, as a filter offers them. */
export const TYPE_GROUPS = complete
  ? [...new Set(TYPES.map((t) => `${t.split(".")[0]}.`))].map((prefix) => ({
      prefix,
      types: TYPES.filter((t) => t.startsWith(prefix)),
    }))
  : [];

const pages: Record<string, RecordPath> = {
  site: "/sites/$id",
  node: "/nodes/$id",
  task: "/tasks/$id",
  account: "/accounts/$id",
  cms_site: "/cms-sites/$id",
};

/** What the event is about: a link to its page when the console has one. */
export function EventTarget({ event }: { event: DomainEvent }) {
  const target = event.target;
  if (!target) return <span className="text-fg-muted">—</span>;
  const to = pages[target.type];
  return (
    <span className="inline-grid min-w-32 gap-0.5">
      {to ? (
        <RecordLink to={to} id={target.id} className="wrap-anywhere">
          {target.name}
        </RecordLink>
      ) : (
        <span className="wrap-anywhere">{target.name}</span>
      )}
      <span className="text-xs text-fg-muted">{target.type}</span>
    </span>
  );
}

/** The columns of a list of events; `account` adds the account's column. */
export function eventColumns(account: boolean): Column<DomainEvent>[] {
  return [
    { header: "Time", cell: (e) => <When iso={e.occurredAt} className="md:min-w-28" /> },
    { header: "Severity", cell: (e) => <SeverityBadge severity={e.severity} /> },
    {
      header: "Event",
      cell: (e) => (
        <span className="grid gap-0.5 md:min-w-48">
          <span className="wrap-anywhere">{e.summary}</span>
          <Link
            to="/events"
            search={{ type: e.type }}
            className="font-mono text-xs text-fg-muted hover:underline"
            title="Only events of this type"
          >
            {e.type}
          </Link>
        </span>
      ),
    },
    { header: "Target", cell: (e) => <EventTarget event={e} />, wide: true },
    ...(account
      ? [
          {
            header: "Account",
            cell: (e: DomainEvent) => (
              <span className="break-all">
                {e.accountName ?? (e.accountId ? e.accountId : "installation")}
              </span>
            ),
            wide: true,
          },
        ]
      : []),
  ];
}
