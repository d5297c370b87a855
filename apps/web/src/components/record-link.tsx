// Links to one record's page, and the list cells built on them: a record's name with a note
// under it, and a state badge with the last error shortened under it.
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { cn } from "../lib/cn.ts";

export type RecordPath =
  | "/accounts/$id"
  | "/groups/$id"
  | "/users/$id"
  | "/nodes/$id"
  | "/sites/$id"
  | "/tasks/$id";

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

/**
 * A list's first cell: the record's name as a link, an optional small note under it, then any
 * further lines.
 */
export function RecordNameCell({
  to,
  id,
  name,
  minWidth,
  note,
  children,
}: {
  to: RecordPath;
  id: string;
  name: ReactNode;
  /** the link's minimum width, so a short name keeps its column, e.g. "min-w-20" */
  minWidth: string;
  note?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <span className="grid gap-0.5">
      <RecordLink to={to} id={id} className={cn("inline-block break-all", minWidth)}>
        {name}
      </RecordLink>
      {note ? <span className="text-xs text-fg-muted">{note}</span> : null}
      {children}
    </span>
  );
}

/** A state badge with the record's last error, shortened, under it (the full text on hover). */
export function StateWithError({
  badge,
  error,
  shortened,
}: {
  badge: ReactNode;
  error: string | null | undefined;
  /** the error as shown */
  shortened: (error: string) => string;
}) {
  return (
    <span className="grid justify-items-start gap-1">
      {badge}
      {error ? (
        <span className="text-xs wrap-anywhere text-fg-muted" title={error}>
          {shortened(error)}
        </span>
      ) : null}
    </span>
  );
}
