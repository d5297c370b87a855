// The fleet's extensions across sites (docs/cms.md#in-the-console), under the CMS sites list:
// which sites run which plugin, theme, Joomla extension or core at which version, as their
// last refresh saw it; filtered to what is outdated or to abandoned WordPress plugins (no
// release on wordpress.org for `cmsAbandonedMonths`, with the last release's date), or to one
// extension (its slug, also set from a row). Pages of 25 with the API's cursors.
import { useState } from "react";
import type { Column } from "../components/data-table.tsx";
import { FilterText, ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note, RecordLink } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";

type FleetExtension = Item<"/api/v1/cms-extensions">;
type Show = "all" | "outdated" | "abandoned";

const SHOW: Record<Show, string> = {
  all: "All extensions",
  outdated: "Outdated",
  abandoned: "Abandoned",
};

/** Whole months from an instant to now: "no release in 27 months". */
function monthsSince(iso: string, now = new Date()): number {
  const d = new Date(iso);
  const months = (now.getFullYear() - d.getFullYear()) * 12 + now.getMonth() - d.getMonth();
  return now.getDate() < d.getDate() ? months - 1 : months;
}

function LastRelease({ e }: { e: FleetExtension }) {
  if (!e.releasedAt) return <span className="text-fg-muted">{e.abandoned ? "unknown" : "—"}</span>;
  const months = monthsSince(e.releasedAt);
  return (
    <span className="grid">
      <time dateTime={e.releasedAt} title={formatDateTime(e.releasedAt)}>
        {e.releasedAt.slice(0, 10)}
      </time>
      {e.abandoned ? (
        <Note>{months === 1 ? "no release in 1 month" : `no release in ${months} months`}</Note>
      ) : null}
    </span>
  );
}

export function FleetExtensionsCard({ account }: { account: string }) {
  const [show, setShow] = useState<Show>("all");
  const [slug, setSlug] = useState<string | undefined>(undefined);
  const query = {
    account: account || undefined,
    slug,
    outdated: show === "outdated" ? ("true" as const) : undefined,
    abandoned: show === "abandoned" ? ("true" as const) : undefined,
  };
  const paged = usePaged(["cms-extensions", query], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/cms-extensions", { params: { query: { ...query, cursor, limit } } }),
    ),
  );
  const columns: Column<FleetExtension>[] = [
    {
      header: "Extension",
      cell: (e) => (
        <span className="grid gap-0.5">
          <span className="font-medium wrap-anywhere">{e.name}</span>
          <button
            type="button"
            className="text-left font-mono text-xs text-fg-muted break-all hover:underline"
            title="Show only the sites that run it"
            onClick={() => setSlug(e.slug)}
          >
            {e.slug}
          </button>
        </span>
      ),
    },
    { header: "Type", cell: (e) => e.type },
    {
      header: "Site",
      cell: (e) => (
        <span className="grid gap-0.5">
          <RecordLink to="/cms-sites/$id" id={e.siteId}>
            <span className="wrap-anywhere">{e.siteName}</span>
          </RecordLink>
          <Note>{e.siteUrl}</Note>
        </span>
      ),
    },
    {
      header: "Version",
      cell: (e) => (
        <span className="flex flex-wrap items-center gap-1 tabular-nums">
          {e.version}
          {e.update ? <Badge tone="warn">{e.update} offered</Badge> : null}
          {e.abandoned ? <Badge tone="danger">abandoned</Badge> : null}
        </span>
      ),
    },
    { header: "Last release", cell: (e) => <LastRelease e={e} />, wide: true },
  ];
  const filtered = show !== "all" || slug !== undefined;
  return (
    <ListCard
      title="Extensions across sites"
      intro="What each site ran at its last refresh. Abandoned: a WordPress plugin with no release on wordpress.org for the configured number of months."
      actions={
        <div className="flex flex-wrap items-center gap-2">
          <Select
            aria-label="Show"
            className="w-44"
            value={show}
            onChange={(e) => setShow(e.target.value as Show)}
          >
            {(Object.keys(SHOW) as Show[]).map((s) => (
              <option key={s} value={s}>
                {SHOW[s]}
              </option>
            ))}
          </Select>
          <FilterText
            label="Extension slug"
            placeholder="Slug, e.g. akismet/akismet.php"
            className="w-64"
            maxLength={200}
            value={slug}
            onChange={setSlug}
          />
          {filtered ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                setShow("all");
                setSlug(undefined);
              }}
            >
              Clear filters
            </Button>
          ) : null}
        </div>
      }
      label="Extensions across sites"
      columns={columns}
      paged={paged}
      rowKey={(e) => e.id}
      empty={
        filtered ? (
          <EmptyState title={show === "abandoned" ? "No abandoned plugin." : "Nothing matches."}>
            {show === "abandoned"
              ? "Every plugin the directory knows had a release recently enough."
              : "Change the filters, or clear them."}
          </EmptyState>
        ) : (
          <EmptyState title="No extensions known yet.">
            A site's plugins and themes are listed here after its first refresh (“Check for updates”
            on its page).
          </EmptyState>
        )
      }
    />
  );
}
