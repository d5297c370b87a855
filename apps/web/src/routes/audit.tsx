// The audit log: who did what, to what, from where; filters kept in the URL, pages from the
// server, each event expandable to its (redacted) changes.
import { getRouteApi, Link } from "@tanstack/react-router";
import { ChevronDown, ChevronRight } from "lucide-react";
import { useState } from "react";
import type { Column } from "../components/data-table.tsx";
import { FilterText, ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { dayStart, formatDateTime } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { AuditDetails, type AuditEvent } from "./audit-diff.tsx";
import { AccountField, useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/audit");
const OUTCOMES = ["success", "failure", "denied"] as const;
type Outcome = (typeof OUTCOMES)[number];
const outcomeTone: Record<Outcome, BadgeTone> = {
  success: "ok",
  failure: "danger",
  denied: "warn",
};

/** "type:id" filters both; anything else is a target id. */
/** A text filter, with the fields whose errors it shows. */
interface TextFilter {
  key: "action" | "actor" | "target";
  label: string;
  hint: string;
  errors: string[];
  maxLength?: number;
}

const TEXT_FILTERS: TextFilter[] = [
  {
    key: "action",
    label: "Action",
    hint: "e.g. task.run, or user.* for all user actions",
    errors: ["action"],
  },
  {
    key: "actor",
    label: "Actor",
    hint: "an email, or the id of a user or API key",
    errors: ["actor"],
  },
  {
    key: "target",
    label: "Target",
    hint: "an id, or type:id such as task:tsk_…",
    errors: ["target", "targetType"],
    maxLength: 200,
  },
];

/** The day filters: a whole day, from its start or to its end. */
const DATE_FILTERS = [
  { key: "since", label: "Since", hint: "from the start of this day" },
  { key: "until", label: "Until", hint: "to the end of this day" },
] as const;

function targetFilter(target: string | undefined) {
  const m = target ? /^([a-z_]{1,40}):(.+)$/.exec(target) : null;
  return m ? { targetType: m[1], target: m[2] } : { target };
}

export function AuditPage() {
  const search = route.useSearch();
  const { set, ...filterState } = useUrlFilters("/audit", search);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const accountName = useAccountName();
  const outcome = OUTCOMES.includes(search.outcome as Outcome)
    ? (search.outcome as Outcome)
    : undefined;
  const filters = {
    actor: search.actor,
    action: search.action,
    ...targetFilter(search.target),
    account: search.account,
    outcome,
    from: dayStart(search.since),
    to: dayStart(search.until, 1),
  };
  const paged = usePaged(["audit", filters], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/audit-events", {
        params: { query: { cursor, limit, ...filters } },
      }),
    ),
  );
  const err = paged.query.error;
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const columns: Column<AuditEvent>[] = [
    {
      header: "Time",
      cell: (e) => (
        <time dateTime={e.at} className="inline-block md:min-w-28">
          {formatDateTime(e.at)}
        </time>
      ),
    },
    {
      header: "Actor",
      cell: (e) =>
        e.actorId ? (
          <Link
            to="/audit"
            search={{ actor: e.actorId }}
            className="inline-block min-w-36 text-primary [overflow-wrap:anywhere] hover:underline"
            title="Only this actor's events"
          >
            {e.actorName ?? e.actorType}
          </Link>
        ) : (
          <span className="inline-block min-w-36 [overflow-wrap:anywhere]">
            {e.actorName ?? e.actorType}
          </span>
        ),
      wide: true,
    },
    {
      header: "Action",
      cell: (e) => (
        <span className="grid gap-1 md:min-w-32">
          <span className="font-mono text-xs [overflow-wrap:anywhere]">{e.action}</span>
          {/* narrow screens hide the actor and outcome columns */}
          <span className="flex flex-wrap items-center gap-1 text-xs text-fg-muted md:hidden">
            <span className="[overflow-wrap:anywhere]">by {e.actorName ?? e.actorType}</span>
            <Badge tone={outcomeTone[e.outcome]}>{e.outcome}</Badge>
          </span>
        </span>
      ),
    },
    {
      header: "Target",
      cell: (e) =>
        e.targetId ? (
          <span className="inline-grid min-w-36 gap-0.5">
            {e.targetName ? <span className="wrap-anywhere">{e.targetName}</span> : null}
            <span className="font-mono text-xs break-all text-fg-muted">
              {e.targetType ? `${e.targetType}:` : ""}
              {e.targetId}
            </span>
          </span>
        ) : (
          <span className="text-fg-muted">—</span>
        ),
      wide: true,
    },
    {
      header: "Account",
      cell: (e) =>
        e.accountId ? <span className="break-all">{accountName(e.accountId)}</span> : "—",
      wide: true,
    },
    {
      header: "Outcome",
      cell: (e) => <Badge tone={outcomeTone[e.outcome]}>{e.outcome}</Badge>,
      wide: true,
    },
    {
      header: "Details",
      className: "text-right",
      cell: (e) => (
        <Button
          variant="ghost"
          size="sm"
          aria-expanded={open.has(e.id)}
          aria-controls={`audit-${e.id}`}
          aria-label={`${open.has(e.id) ? "Hide" : "Show"} details of ${e.action} at ${formatDateTime(e.at)}`}
          onClick={() => toggle(e.id)}
        >
          {open.has(e.id) ? (
            <ChevronDown className="h-4 w-4" aria-hidden="true" />
          ) : (
            <ChevronRight className="h-4 w-4" aria-hidden="true" />
          )}
          <span className="hidden md:inline">Details</span>
        </Button>
      ),
    },
  ];

  return (
    <ListPage
      title="Audit log"
      description="Every change and every refusal, newest first: who did it, from where, and what changed (secrets are never shown)."
      filters={{
        ...filterState,
        className: "grid gap-3 sm:grid-cols-2 lg:grid-cols-4",
        controls: (
          <>
            {TEXT_FILTERS.map((f) => (
              <Field
                key={f.key}
                className="content-start"
                label={f.label}
                hint={f.hint}
                error={f.errors.map((field) => fieldError(err, field)).find(Boolean)}
              >
                <FilterText
                  className=""
                  maxLength={f.maxLength}
                  value={search[f.key]}
                  onChange={(v) => set({ [f.key]: v })}
                />
              </Field>
            ))}
            <Field className="content-start" label="Outcome">
              <Select
                value={outcome ?? ""}
                onChange={(e) => set({ outcome: e.target.value || undefined })}
              >
                <option value="">Any outcome</option>
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </Select>
            </Field>
            <AccountField value={search.account} onChange={(account) => set({ account })} />
            {DATE_FILTERS.map((f) => (
              <Field key={f.key} className="content-start" label={f.label} hint={f.hint}>
                <Input
                  type="date"
                  value={search[f.key] ?? ""}
                  onChange={(e) => set({ [f.key]: e.target.value || undefined })}
                />
              </Field>
            ))}
          </>
        ),
      }}
      label="Audit events"
      columns={columns}
      paged={paged}
      rowKey={(e) => e.id}
      expanded={(e) =>
        open.has(e.id) ? (
          <div id={`audit-${e.id}`}>
            <AuditDetails event={e} />
          </div>
        ) : null
      }
      empty={
        <EmptyState title="No events yet.">
          Changes made through the console, the API or the CLI are recorded here.
        </EmptyState>
      }
    />
  );
}
