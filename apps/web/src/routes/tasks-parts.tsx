// Pieces the task pages, the dashboard and the audit log share: a task's state as a badge,
// its schedule in words, a progress bar, and the account filter.
import { useQuery } from "@tanstack/react-query";
import type { SelectHTMLAttributes } from "react";
import { RecordLink } from "../components/record-link.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { cn } from "../lib/cn.ts";

export type Task = Item<"/api/v1/tasks">;

export const TASK_STATES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type TaskState = (typeof TASK_STATES)[number];
export const isTaskState = (s: string | undefined): s is TaskState =>
  TASK_STATES.includes(s as TaskState);

const tones: Record<string, BadgeTone> = {
  queued: "neutral",
  running: "info",
  cancelling: "warn",
  succeeded: "ok",
  failed: "danger",
  cancelled: "warn",
};

/** A task's state; a running task asked to stop reads "cancelling". */
/** A task in a list: what it does, linking to its page, with its kind. */
export function TaskLink({ task }: { task: Pick<Task, "id" | "kind" | "title"> }) {
  return (
    <RecordLink to="/tasks/$id" id={task.id} className="inline-block min-w-40">
      <span className="wrap-anywhere">{task.title}</span>
      <span className="block font-mono text-xs font-normal break-all text-fg-muted">
        {task.kind}
      </span>
    </RecordLink>
  );
}

export function TaskStateBadge({ state }: { state: string }) {
  return <Badge tone={tones[state] ?? "neutral"}>{state}</Badge>;
}

export const stateOf = (t: Pick<Task, "state" | "cancelRequested">) =>
  t.state === "running" && t.cancelRequested ? "cancelling" : t.state;

/** "0 3 * * * (Europe/Paris)", or that it runs once. */
export function scheduleText(t: Pick<Task, "expression" | "timezone">): string {
  if (!t.expression) return "runs once";
  return t.timezone ? `${t.expression} (${t.timezone})` : `${t.expression} (server time)`;
}

/** 0..1 as a bar with its percentage, for screen readers too. */
export function ProgressBar({
  value,
  label = "Progress",
  className,
}: {
  value: number | null;
  label?: string;
  className?: string;
}) {
  const pct = value === null ? 0 : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className={cn("flex items-center gap-2", className)}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={value === null ? "not started" : `${pct}%`}
        className="h-2 min-w-16 flex-1 overflow-hidden rounded-full bg-muted"
      >
        <div
          className="h-full rounded-full bg-primary transition-[width] duration-300"
          style={{ width: `${pct}%` }}
        />
      </div>
      <span className="w-10 text-right text-xs text-fg-muted tabular-nums">{pct}%</span>
    </div>
  );
}

/** The accounts one may read (the first 200), for filters and names. */
export function useAccounts() {
  return useQuery({
    queryKey: ["accounts", "options"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/accounts", { params: { query: { limit: 200 } } })).items,
    staleTime: 60_000,
  });
}

/** An account's name when it is known, else its id; "system" for none. */
export function useAccountName() {
  const accounts = useAccounts();
  return (id: string | null) =>
    id === null ? "system" : (accounts.data?.find((a) => a.id === id)?.name ?? id);
}

/** A filter bar's account field: the account filter under its label. */
export function AccountField({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (account: string | undefined) => void;
}) {
  return (
    <Field className="content-start" label="Account">
      <AccountSelect
        className="w-full"
        value={value ?? ""}
        onChange={(v) => onChange(v || undefined)}
      />
    </Field>
  );
}

/** A filter bar's day field: what happened since the start of this day (`YYYY-MM-DD`). */
export function SinceField({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (day: string | undefined) => void;
}) {
  return (
    <Field className="content-start" label="Since" hint="from the start of this day">
      <Input
        type="date"
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value || undefined)}
      />
    </Field>
  );
}

/** The accounts one may read, for filters (an unknown id stays selectable). */
export function AccountSelect({
  value,
  onChange,
  label = "Account",
  className,
  ...rest
}: {
  value: string;
  onChange: (v: string) => void;
  label?: string;
  className?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "value" | "onChange">) {
  const accounts = useAccounts();
  const items = accounts.data ?? [];
  return (
    <Select
      {...rest}
      aria-label={label}
      className={cn("w-48", className)}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">All accounts</option>
      {value && !items.some((a) => a.id === value) ? <option value={value}>{value}</option> : null}
      {items.map((a) => (
        <option key={a.id} value={a.id}>
          {a.name}
        </option>
      ))}
    </Select>
  );
}

/** JSON as indented text (never as markup). */
export function JsonText({ value, className }: { value: unknown; className?: string }) {
  const text = typeof value === "string" ? value : (JSON.stringify(value, null, 2) ?? "null");
  return (
    <pre
      className={cn(
        "max-h-96 overflow-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre-wrap break-all",
        className,
      )}
    >
      {text}
    </pre>
  );
}
