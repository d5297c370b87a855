// A short list on the dashboard (failing tasks, recent activity, node health, sites needing
// attention): one entry per item, a head line (a link, badges, a time) and details under it.
import type { ReactNode } from "react";
import { cn } from "../lib/cn.ts";

export function FeedList<T extends { id: string }>({
  label,
  items,
  head,
  body,
  entryClassName = "gap-1 last:pb-0",
}: {
  /** names the list for screen readers */
  label: string;
  items: T[];
  head: (item: T) => ReactNode;
  body: (item: T) => ReactNode;
  /** the entry's spacing */
  entryClassName?: string;
}) {
  return (
    <ul className="grid gap-3" aria-label={label}>
      {items.map((item) => (
        <li
          key={item.id}
          className={cn("grid border-b border-border pb-3 last:border-0", entryClassName)}
        >
          <div className="flex flex-wrap items-center gap-2">{head(item)}</div>
          {body(item)}
        </li>
      ))}
    </ul>
  );
}
