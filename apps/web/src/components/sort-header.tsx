// A column header that sorts its list: a button in the header cell, the cell saying how the
// list is sorted (aria-sort). The first press sorts ascending, the next descending, and so on.
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import type { ListSort } from "../lib/url-search.ts";

type Direction = "ascending" | "descending" | "none";

/** How `sort` orders the list by `key`. */
export function directionOf(sort: ListSort | undefined, key: string | undefined): Direction {
  if (!sort?.value || !key) return "none";
  if (sort.value === key) return "ascending";
  return sort.value === `-${key}` ? "descending" : "none";
}

const icons = { ascending: ArrowUp, descending: ArrowDown, none: ArrowUpDown };

export function SortButton({
  header,
  sortKey,
  sort,
}: {
  header: string;
  sortKey: string;
  sort: ListSort;
}) {
  const direction = directionOf(sort, sortKey);
  const Icon = icons[direction];
  return (
    <button
      type="button"
      className="-mx-1 inline-flex items-center gap-1 rounded px-1 text-left uppercase hover:text-fg"
      onClick={() => sort.set(direction === "ascending" ? `-${sortKey}` : sortKey)}
    >
      {header}
      <Icon
        className={direction === "none" ? "h-3 w-3 shrink-0 opacity-50" : "h-3 w-3 shrink-0"}
        aria-hidden="true"
      />
    </button>
  );
}
