// The list every page uses: a table with loading, error and empty states, headers that sort
// it where the API can (Column.sort), and the pager of a server-side paginated query (usePaged).
import { Fragment, type ReactNode } from "react";
import { cn } from "../lib/cn.ts";
import type { usePaged } from "../lib/paging.ts";
import type { ListSort } from "../lib/url-search.ts";
import { directionOf, SortButton } from "./sort-header.tsx";
import { ErrorAlert } from "./ui/alert.tsx";
import { Button, Spinner } from "./ui/button.tsx";

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
  /** hidden on narrow screens */
  wide?: boolean;
  /** the API's sort key of this column, when the list sorts by it */
  sort?: string;
}

/** The sort keys of these columns (what a list page accepts in `?sort=`). */
export const sortKeysOf = <T,>(columns: Column<T>[]) =>
  columns.flatMap((column) => (column.sort ? [column.sort] : []));

export interface DataTableProps<T> {
  /** names the table for screen readers, e.g. "Users" */
  label: string;
  columns: Column<T>[];
  paged: ReturnType<typeof usePaged<T>>;
  rowKey: (row: T) => string;
  /** what to show when there is nothing, saying what to do */
  empty: ReactNode;
  /** a row's details, shown in a full-width row under it when not null (expandable rows) */
  expanded?: (row: T) => ReactNode;
  /** the list's order: columns with a sort key sort it from their header */
  sort?: ListSort;
}

export function DataTable<T>({
  label,
  columns,
  paged,
  rowKey,
  empty,
  expanded,
  sort,
}: DataTableProps<T>) {
  const { query, items } = paged;
  if (query.isPending) {
    return (
      <div className="flex items-center gap-2 p-6 text-sm text-fg-muted" role="status">
        <Spinner /> Loading…
      </div>
    );
  }
  if (query.isError && !query.data) return <ErrorAlert error={query.error} />;
  if (items.length === 0 && !paged.hasPrev) {
    return (
      <div className="rounded-lg border border-dashed border-border p-8 text-center">{empty}</div>
    );
  }
  // the rows of the previous filter or page, dimmed, until the new ones arrive
  const stale = query.isFetching && query.isPlaceholderData;
  return (
    <div className="grid gap-3">
      <div className="overflow-x-auto rounded-lg border border-border bg-surface">
        <table className="w-full text-left text-sm" aria-label={label} aria-busy={stale}>
          <thead className="border-b border-border bg-muted/60 text-xs text-fg-muted uppercase">
            <tr>
              {columns.map((c) => (
                <th
                  key={c.header}
                  scope="col"
                  aria-sort={sort && c.sort ? directionOf(sort, c.sort) : undefined}
                  className={cn(
                    "px-3 py-2 font-medium",
                    c.wide && "hidden md:table-cell",
                    c.className,
                  )}
                >
                  {sort && c.sort ? (
                    <SortButton header={c.header} sortKey={c.sort} sort={sort} />
                  ) : (
                    c.header
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className={cn(stale && "opacity-60")}>
            {items.map((row) => {
              const detail = expanded?.(row);
              return (
                <Fragment key={rowKey(row)}>
                  <tr className="border-b border-border last:border-0 hover:bg-muted/40">
                    {columns.map((c) => (
                      <td
                        key={c.header}
                        className={cn(
                          "px-3 py-2 align-top",
                          c.wide && "hidden md:table-cell",
                          c.className,
                        )}
                      >
                        {c.cell(row)}
                      </td>
                    ))}
                  </tr>
                  {detail != null ? (
                    <tr className="border-b border-border last:border-0 bg-muted/20">
                      <td colSpan={columns.length} className="px-3 py-3">
                        {detail}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {query.isError ? <ErrorAlert error={query.error} /> : null}
      {/* a pager only when there is another page */}
      {paged.hasPrev || paged.hasNext ? (
        <nav className="flex items-center justify-end gap-2" aria-label={`${label} pages`}>
          <span className="text-sm text-fg-muted">Page {paged.page}</span>
          <Button variant="secondary" size="sm" disabled={!paged.hasPrev} onClick={paged.prev}>
            Previous
          </Button>
          <Button variant="secondary" size="sm" disabled={!paged.hasNext} onClick={paged.next}>
            Next
          </Button>
        </nav>
      ) : null}
    </div>
  );
}
