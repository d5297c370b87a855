// Pickers for the access pages: search users, groups or accounts on the server (`q`) and pick
// one from the first matches. Each is a labelled group of radio buttons under a search box.
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useState } from "react";
import { Spinner } from "../components/ui/button.tsx";
import { describedBy, FieldNotes } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { cn } from "../lib/cn.ts";
import { messageOf } from "../lib/errors.ts";
import type { PrincipalType } from "./access-roles.tsx";

/** How many matches a picker shows; narrower searches find the rest. */
const MATCHES = 8;

export interface Picked {
  id: string;
  /** what the person sees: an email, a group or account name */
  label: string;
  detail?: string;
}

/** The value after it stopped changing for a moment, so typing does not send a request per key. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export interface PickerProps {
  /** the group's label, e.g. "User" */
  label: string;
  value: Picked | null;
  onChange: (value: Picked | null) => void;
  /** the API's error for this field */
  error?: string;
  hint?: string;
  /** ids that cannot be picked (already members), with the reason shown next to them */
  taken?: { ids: ReadonlySet<string>; reason: string };
}

/** A picker searching one list of the API (`search`); the access pickers and others use it. */
export function SearchPick({
  label,
  value,
  onChange,
  error,
  hint,
  taken,
  kind,
  placeholder,
  search,
}: PickerProps & {
  kind: string;
  placeholder: string;
  search: (q: string) => Promise<{ items: Picked[]; more: boolean }>;
}) {
  const id = useId();
  const [q, setQ] = useState("");
  const term = useDebounced(q.trim());
  const results = useQuery({
    queryKey: ["pick", kind, term],
    queryFn: () => search(term),
    staleTime: 10_000,
  });
  const items = results.data?.items ?? [];
  return (
    <fieldset className="grid min-w-0 gap-1.5" aria-describedby={describedBy(id, hint, error)}>
      <legend className="mb-1.5 text-sm font-medium">{label}</legend>
      <Input
        type="search"
        aria-label={`Search ${kind}`}
        placeholder={placeholder}
        value={q}
        maxLength={100}
        onChange={(e) => setQ(e.target.value)}
        aria-invalid={error ? true : undefined}
      />
      <div
        className={cn(
          "max-h-52 min-h-10 overflow-y-auto rounded-md border border-border",
          error && "border-danger",
        )}
      >
        {results.isPending ? (
          <p className="flex items-center gap-2 p-2 text-sm text-fg-muted" role="status">
            <Spinner /> Searching…
          </p>
        ) : results.isError ? (
          <p className="p-2 text-sm text-danger" role="alert">
            {messageOf(results.error)}
          </p>
        ) : items.length === 0 ? (
          <p className="p-2 text-sm text-fg-muted">
            {term ? `No ${kind} matches “${term}”.` : `There are no ${kind} yet.`}
          </p>
        ) : (
          <ul className="divide-y divide-border">
            {items.map((item) => {
              const isTaken = taken?.ids.has(item.id) ?? false;
              return (
                <li key={item.id}>
                  <label
                    className={cn(
                      "flex cursor-pointer items-start gap-2 px-2 py-1.5 text-sm hover:bg-muted",
                      value?.id === item.id && "bg-primary/10",
                      isTaken && "cursor-not-allowed opacity-70",
                    )}
                  >
                    <input
                      type="radio"
                      name={id}
                      className="mt-0.5 h-4 w-4 shrink-0 accent-primary"
                      checked={value?.id === item.id}
                      disabled={isTaken}
                      onChange={() => onChange(item)}
                    />
                    <span className="min-w-0">
                      <span className="block font-medium break-all">{item.label}</span>
                      {item.detail ? (
                        <span className="block text-xs wrap-anywhere text-fg-muted">
                          {item.detail}
                        </span>
                      ) : null}
                      {isTaken ? (
                        <span className="block text-xs text-fg-muted">{taken?.reason}</span>
                      ) : null}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {results.data?.more ? (
        <p className="text-xs text-fg-muted">
          Showing the first {MATCHES} matches; type more to narrow the search.
        </p>
      ) : null}
      {value && !items.some((i) => i.id === value.id) ? (
        <p className="text-xs break-all text-fg-muted">Selected: {value.label}</p>
      ) : null}
      <FieldNotes id={id} hint={hint} error={error} />
    </fieldset>
  );
}

/** The query a picker sends: what is typed (nothing: the first ones) and how many to show. */
interface MatchQuery {
  q?: string;
  limit: number;
}

/** The search of one list of the API: `list` fetches a page of it, `pick` says how a row reads. */
export function searchOf<Row>(
  list: (query: MatchQuery) => Promise<{ items: Row[]; nextCursor: string | null }>,
  pick: (row: Row) => Picked,
) {
  return async (q: string) => {
    const page = await list({ q: q || undefined, limit: MATCHES });
    return { items: page.items.map(pick), more: page.nextCursor !== null };
  };
}

/** What each picker searches, and what its search box says. */
const LISTS = {
  users: {
    kind: "users",
    placeholder: "Search by email or name",
    search: searchOf(
      async (query) => unwrap(await api.GET("/api/v1/users", { params: { query } })),
      (user) => ({
        id: user.id,
        label: user.email,
        detail: [user.name, user.disabled ? "disabled" : ""].filter(Boolean).join(" · "),
      }),
    ),
  },
  groups: {
    kind: "groups",
    placeholder: "Search by name",
    search: searchOf(
      async (query) => unwrap(await api.GET("/api/v1/groups", { params: { query } })),
      (group) => ({
        id: group.id,
        label: group.name,
        detail: `${group.members} member${group.members === 1 ? "" : "s"}${group.description ? ` · ${group.description}` : ""}`,
      }),
    ),
  },
  accounts: {
    kind: "accounts",
    placeholder: "Search by name or slug",
    search: searchOf(
      async (query) => unwrap(await api.GET("/api/v1/accounts", { params: { query } })),
      (account) => ({ id: account.id, label: account.name, detail: account.slug }),
    ),
  },
};

export function UserPicker(props: PickerProps) {
  return <SearchPick {...props} {...LISTS.users} />;
}

export function GroupPicker(props: PickerProps) {
  return <SearchPick {...props} {...LISTS.groups} />;
}

export function AccountPicker(props: PickerProps) {
  return <SearchPick {...props} {...LISTS.accounts} />;
}

/** The state of a PrincipalPicker: the kind chosen and the one picked. */
export function usePrincipalChoice(initial: PrincipalType) {
  const [type, onTypeChange] = useState<PrincipalType>(initial);
  const [value, onChange] = useState<Picked | null>(null);
  return { type, onTypeChange, value, onChange };
}

/** Whom a grant or membership is for: "A user" or "A group", then the one picked. */
export function PrincipalPicker({
  legend,
  type,
  onTypeChange,
  value,
  onChange,
  error,
  superReason,
  instead,
}: {
  legend: string;
  type: PrincipalType;
  onTypeChange: (type: PrincipalType) => void;
  value: Picked | null;
  onChange: (value: Picked | null) => void;
  error?: string;
  /** why the super group cannot be picked */
  superReason: string;
  /** shown in place of the search (when one may not list users and groups) */
  instead?: ReactNode;
}) {
  const choose = (next: PrincipalType) => {
    onTypeChange(next);
    onChange(null);
  };
  const pick = { value, onChange, error };
  return (
    <div className="grid gap-3">
      <RadioChoice
        legend={legend}
        value={type}
        onChange={choose}
        options={[
          { value: "user", label: "A user" },
          { value: "group", label: "A group", hint: "Every member gets the role." },
        ]}
      />
      {instead ??
        (type === "user" ? (
          <UserPicker label="User" {...pick} />
        ) : (
          <GroupPicker
            label="Group"
            {...pick}
            taken={{ ids: new Set(["super"]), reason: superReason }}
          />
        ))}
    </div>
  );
}

/** A choice between a few values as labelled radio buttons (user or group, scope kinds...). */
export function RadioChoice<T extends string>({
  legend,
  value,
  onChange,
  options,
  className,
}: {
  legend: string;
  value: T;
  onChange: (v: T) => void;
  options: { value: T; label: string; hint?: string }[];
  className?: string;
}) {
  const name = useId();
  return (
    <fieldset className={cn("grid gap-1.5", className)}>
      <legend className="mb-1.5 text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap gap-2">
        {options.map((o) => (
          <label
            key={o.value}
            className={cn(
              "flex min-w-0 cursor-pointer items-start gap-2 rounded-md border border-border px-3 py-1.5 text-sm hover:bg-muted",
              value === o.value && "border-primary bg-primary/10",
            )}
          >
            <input
              type="radio"
              name={name}
              className="mt-0.5 h-4 w-4 shrink-0 accent-primary"
              checked={value === o.value}
              onChange={() => onChange(o.value)}
            />
            <span className="min-w-0">
              <span className="block font-medium">{o.label}</span>
              {o.hint ? <span className="block text-xs text-fg-muted">{o.hint}</span> : null}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
