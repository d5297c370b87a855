// Filters kept in the URL's search parameters: a page changes some of them without losing the
// others (or a change made a moment earlier), and a text filter is written after typing stops.
import { useNavigate } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";

/** The pages whose filters live in the URL. */
type FilterPage =
  | "/tasks"
  | "/audit"
  | "/nodes"
  | "/sites"
  | "/accounts"
  | "/users"
  | "/groups"
  | "/grants";

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
  return {
    set,
    active: Object.values(search).some((v) => v !== undefined && v !== ""),
    clear: () => void navigate({ to, search: {} as never, replace: true }),
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
