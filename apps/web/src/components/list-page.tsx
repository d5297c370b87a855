// The one list page: its header (title, description, actions), the filter bar (filters kept
// in the URL by the page, "Clear filters" while one is set), then the table with its loading,
// error and empty states and its pager (DataTable). ListCard is the same list inside a card of
// another page (a group's members, a user's groups, my API keys).
import type { InputHTMLAttributes, ReactNode } from "react";
import { useUrlText } from "../lib/url-search.ts";
import { DataTable, type DataTableProps } from "./data-table.tsx";
import { EmptyState, PageHeader } from "./page.tsx";
import { Button } from "./ui/button.tsx";
import { Card } from "./ui/card.tsx";
import { Input } from "./ui/input.tsx";

export interface ListFilters {
  /** the search box over `?q=`: its accessible name and what it searches */
  search?: { label: string; placeholder: string; maxLength?: number };
  q?: { value: string | undefined; set: (q?: string) => void };
  /** the other filter controls (selects) */
  controls?: ReactNode;
  /** whether a filter is set: shows "Clear filters" and the "nothing matches" state */
  active: boolean;
  clear: () => void;
  /** the filter bar's layout, when not one wrapping row */
  className?: string;
}

export function ListPage<T>({
  title,
  description,
  actions,
  filters,
  above,
  aside,
  ...table
}: DataTableProps<T> & {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  filters?: ListFilters;
  /** shown between the header and the list (a form the actions opened) */
  above?: ReactNode;
  /** shown beside the list on wide screens, under it on narrow ones */
  aside?: ReactNode;
}) {
  const list = (
    <div className="grid min-w-0 gap-4">
      {filters ? <FilterBar filters={filters} /> : null}
      <DataTable
        {...table}
        empty={
          filters?.active ? (
            <EmptyState title="Nothing matches these filters.">
              Change the filters, or clear them.
            </EmptyState>
          ) : (
            table.empty
          )
        }
      />
    </div>
  );
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      {above ? <div className="mb-4 grid gap-4">{above}</div> : null}
      {aside ? (
        <div className="grid gap-6 2xl:grid-cols-[1fr_22rem] 2xl:items-start">
          <div className="2xl:order-last">{aside}</div>
          {list}
        </div>
      ) : (
        list
      )}
    </>
  );
}

function FilterBar({ filters }: { filters: ListFilters }) {
  return (
    <search className={filters.className ?? "flex flex-wrap items-center gap-3"}>
      {filters.search && filters.q ? (
        <FilterText {...filters.search} value={filters.q.value} onChange={filters.q.set} />
      ) : null}
      {filters.controls}
      {filters.active ? (
        <div className="flex items-start">
          <Button variant="ghost" size="sm" onClick={filters.clear}>
            Clear filters
          </Button>
        </div>
      ) : null}
    </search>
  );
}

export function ListCard<T>({
  title,
  actions,
  intro,
  children,
  ...table
}: DataTableProps<T> & {
  title: string;
  actions?: ReactNode;
  /** a sentence above the list */
  intro?: ReactNode;
  /** dialogs the card's actions open */
  children?: ReactNode;
}) {
  return (
    <Card title={title} actions={actions}>
      <div className="grid gap-4">
        {intro ? <p className="text-sm text-fg-muted">{intro}</p> : null}
        <DataTable {...table} />
      </div>
      {children}
    </Card>
  );
}

/** A text filter of a list page, kept in the URL (written a moment after typing stops). */
export function FilterText({
  label,
  value,
  onChange,
  className = "max-w-xs",
  maxLength = 100,
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange"> & {
  /** the accessible name, when no Field labels it */
  label?: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const [text, setText] = useUrlText(value, onChange);
  return (
    <Input
      type="search"
      autoComplete="off"
      {...rest}
      aria-label={label}
      className={className}
      maxLength={maxLength}
      value={text}
      onChange={(e) => setText(e.target.value)}
    />
  );
}
