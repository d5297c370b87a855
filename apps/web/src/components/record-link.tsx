// Links to one record's page, and the list column built on them: a record's name with notes
// under it.
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { cn } from "../lib/cn.ts";
import type { Column } from "./data-table.tsx";

export type RecordPath =
  | "/accounts/$id"
  | "/groups/$id"
  | "/users/$id"
  | "/nodes/$id"
  | "/sites/$id"
  | "/apps/$id"
  | "/tasks/$id"
  | "/monitors/$id"
  | "/dns/$id"
  | "/mail/$id"
  | "/status-pages/$id"
  | "/cms-sites/$id";

/** A link to a record's page, in the console's link style (medium weight unless told). */
export function RecordLink({
  to,
  id,
  className,
  children,
}: {
  to: RecordPath;
  id: string;
  /** added to (and overriding) the link style, e.g. "break-all" or "font-mono font-normal" */
  className?: string;
  children: ReactNode;
}) {
  return (
    <Link
      to={to}
      params={{ id }}
      className={cn("font-medium text-primary hover:underline", className)}
    >
      {children}
    </Link>
  );
}

/** A small muted line under a list cell's main content. */
export function Note({ children }: { children: ReactNode }) {
  return <span className="text-xs text-fg-muted">{children}</span>;
}

/**
 * A list's first column: the record's name as a link (at least `minWidth` wide, e.g. "min-w-20",
 * so a short name keeps its column), then the row's `more` lines under it.
 */
export function nameColumn<T extends { id: string }>(
  header: string,
  link: { to: RecordPath; minWidth: string; name: (row: T) => ReactNode },
  more?: (row: T) => ReactNode,
): Column<T> {
  return {
    header,
    cell: (row) => (
      <span className="grid gap-0.5">
        <RecordLink
          to={link.to}
          id={row.id}
          className={cn("inline-block break-all", link.minWidth)}
        >
          {link.name(row)}
        </RecordLink>
        {more?.(row)}
      </span>
    ),
  };
}
