// Filters kept in the URL's search parameters: a page changes some of them without losing the
// others (or a change made a moment earlier), and a text filter is written after typing stops.
import { useNavigate } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";

/** The pages whose filters live in the URL. */
type FilterPage =
  | "/tasks"
  | "/audit"
  | "/events"
  | "/nodes"
  | "/sites"
  | "/apps"
  | "/certificates"
  | "/accounts"
  | "/users"
  | "/groups"
  | "/grants"
  | "/channels"
  | "/monitors"
  | "/rules"
  | "/dns"
  | "/dns/providers"
  | "/mail"
  | "/database-servers"
  | "/databases"
  | "/database-users"
  | "/backups"
  | "/backups/sources"
  | "/backups/destinations"
  | "/backups/artifacts";

/** Returns `set(patch)`: merges the patch into the page's current search parameters. */
export function useSearchPatch<S extends object>(to: FilterPage, search: S) {
  const navigate = useNavigate();
  const latest = useRef(search);
  latest.current = search;
  return (patch: Partial<S>) =>
    // the search type differs per page; `to` and S come from the same page
    void navigate({ to, search: { ...latest.current, ...patch } as never, replace: true });
}

/** A list page's filters in the URL: `set(patch)`, whether one is set, and `clear()`. */
export function useUrlFilters<S extends object>(to: FilterPage, search: S) {
  const navigate = useNavigate();
  const set = useSearchPatch(to, search);
  // the order (`?sort=`) is no filter: it is kept when the filters are cleared
  const { sort, ...filters } = search as { sort?: string };
  return {
    set,
    /** the free-text search (`?q=`) and its setter, for the list's search box */
    q: {
      value: "q" in search ? (search.q as string | undefined) : undefined,
      set: (q?: string) => set({ q } as unknown as Partial<S>),
    },
    active: Object.values(filters).some((v) => v !== undefined && v !== ""),
    clear: () => void navigate({ to, search: { sort } as never, replace: true }),
  };
}

/** A list's order: a sort key of one of its columns, "-" before it for descending. */
export interface ListSort {
  value: string | undefined;
  set: (sort: string | undefined) => void;
}

/**
 * A list page's order in the URL (`?sort=-name`): kept across reloads and history (each
 * change is a history entry, so Back returns to the previous order). Values that are no
 * sort of the list's columns (`keys`) read as the default order.
 */
export function useUrlSort<S extends { sort?: string }>(
  to: FilterPage,
  search: S,
  keys: readonly string[],
): ListSort {
  const navigate = useNavigate();
  const latest = useRef(search);
  latest.current = search;
  const value = search.sort?.replace(/^-/, "");
  return {
    value: value && keys.includes(value) ? search.sort : undefined,
    set: (sort) => void navigate({ to, search: { ...latest.current, sort } as never }),
  };
}

/**
 * A text filter kept in the URL: typed into local state at once, written to the URL a
 * moment after the last keystroke (so each key does not fetch), and following the URL back.
 */
export function useUrlText(value: string | undefined, write: (v: string | undefined) => void) {
  const [text, setText] = useState(value ?? "");
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (pending.current === undefined) setText(value ?? "");
  }, [value]);
  useEffect(() => () => clearTimeout(pending.current), []);
  const change = (v: string) => {
    setText(v);
    clearTimeout(pending.current);
    pending.current = setTimeout(() => {
      pending.current = undefined;
      write(v.trim() || undefined);
    }, 300);
  };
  return [text, change] as const;
}
