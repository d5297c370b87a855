// Pieces of the site form: names typed one per line or separated by commas, the API's errors
// about one name of a list (`domains.2`) said at the list's field, the kind picker, the node
// picker.
import { type SelectHTMLAttributes, useId } from "react";
import { Field, FieldNotes } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { ApiError, messageOf } from "../lib/errors.ts";
import { type Site, useNodeOptions } from "./hosting-parts.tsx";
import { useAccounts } from "./tasks-parts.tsx";

/** "a.com, b.com\n c.com" → ["a.com", "b.com", "c.com"] (trimmed, blanks dropped). */
export function parseNames(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The form's fields: an API error naming one of them (or an item of a list) is shown there. */
const FIELDS = [
  "node",
  "account",
  "kind",
  "domains",
  "aliases",
  "redirect",
  "root",
  "upstream",
  "dnsRecords",
];
/** The fields of the error that the form shows at a field (not those it hides now). */
export const shownFields = (error: unknown, hidden: string[]): string[] =>
  error instanceof ApiError
    ? Object.keys(error.fields).filter((f) => {
        const top = f.split(".")[0] ?? "";
        return FIELDS.includes(top) && !hidden.includes(top);
      })
    : [];

/** The error of a list field and of each of its items, naming the item that is wrong. */
export function listError(error: unknown, field: string, names: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const lines: string[] = [];
  const whole = error.fields[field];
  if (whole) lines.push(whole);
  for (const [key, message] of Object.entries(error.fields)) {
    if (!key.startsWith(`${field}.`)) continue;
    const i = Number(key.slice(field.length + 1).split(".")[0]);
    const name = Number.isInteger(i) ? names[i] : undefined;
    lines.push(name === undefined ? message : `“${name}” ${message}`);
  }
  return lines.length ? lines.join("\n") : undefined;
}

export const KINDS = [
  { value: "static", label: "Static", hint: "serves the files in its document root" },
  { value: "php", label: "PHP", hint: "serves files and runs .php through its own PHP-FPM pool" },
  { value: "proxy", label: "Proxy", hint: "passes every request on to an application's address" },
] as const;
export type Kind = (typeof KINDS)[number]["value"];

export function KindField({
  value,
  onChange,
  error,
}: {
  value: Kind;
  onChange: (k: Kind) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset className="grid gap-2" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="mb-1.5 text-sm font-medium">Kind</legend>
      {KINDS.map((k) => (
        <label key={k.value} className="flex items-start gap-2 text-sm">
          <input
            type="radio"
            name={`${id}-kind`}
            value={k.value}
            checked={value === k.value}
            onChange={() => onChange(k.value)}
            className="mt-0.5 h-4 w-4 accent-primary"
          />
          <span>
            <span className="font-medium">{k.label}</span>
            <span className="text-fg-muted">: {k.hint}</span>
          </span>
        </label>
      ))}
      <FieldNotes id={id} error={error} />
    </fieldset>
  );
}

/**
 * The nodes a site can go to: enrolled ones. Pending and revoked nodes are listed but cannot
 * be picked, saying why.
 */
export function NodeField({
  error,
  hint = "The server that serves the site. Only enrolled nodes can be chosen.",
  ...rest
}: PickProps & { error?: string; hint?: string }) {
  const nodes = useNodeOptions();
  // listing nodes needs an installation-wide role: say so rather than "no nodes"
  const listError = nodes.isError ? `The nodes cannot be listed: ${messageOf(nodes.error)}` : "";
  return (
    <Field
      label="Node"
      hint={hint}
      error={[error, listError].filter(Boolean).join("\n") || undefined}
    >
      <NodeSelect {...rest} />
    </Field>
  );
}

function NodeSelect({ value, onChange, ...rest }: PickProps) {
  const nodes = useNodeOptions();
  const items = nodes.data ?? [];
  return (
    <Select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">
        {nodes.isPending
          ? "Loading nodes…"
          : items.length
            ? "Choose a node"
            : nodes.isError
              ? "Nodes unavailable"
              : "No nodes yet: add one on the Nodes page"}
      </option>
      {items.map((n) => (
        <option key={n.id} value={n.id} disabled={n.state === "pending" || n.state === "revoked"}>
          {n.state === "pending"
            ? `${n.name} (not enrolled yet)`
            : n.state === "revoked"
              ? `${n.name} (revoked)`
              : n.state === "unreachable"
                ? `${n.name} (unreachable)`
                : n.name}
        </option>
      ))}
    </Select>
  );
}

/** The one node a new site can go to, when there is exactly one. */
export function useOnlyNode(): string | undefined {
  const nodes = useNodeOptions();
  const usable = (nodes.data ?? []).filter(
    (n) => n.state === "trusted" || n.state === "unreachable",
  );
  return usable.length === 1 ? usable[0]?.id : undefined;
}

type PickProps = { value: string; onChange: (id: string) => void } & Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  "value" | "onChange"
>;

/** The accounts one may read; none picked means the installation's default account. */
export function AccountField({
  error,
  hint = "Who the site belongs to. Left empty, it goes to the installation's default account.",
  ...rest
}: PickProps & { error?: string; hint?: string }) {
  return (
    <Field label="Account" hint={hint} error={error}>
      <AccountPick {...rest} />
    </Field>
  );
}

function AccountPick({ value, onChange, ...rest }: PickProps) {
  const accounts = useAccounts();
  return (
    <Select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Default account</option>
      {(accounts.data ?? []).map((a) => (
        <option key={a.id} value={a.id}>
          {a.name}
        </option>
      ))}
    </Select>
  );
}

export type Redirect = Site["redirect"];

export function RedirectField({
  value,
  onChange,
  error,
}: {
  value: Redirect;
  onChange: (r: Redirect) => void;
  error?: string;
}) {
  return (
    <Field
      label="www redirect"
      hint="Makes the other form of each name redirect to it."
      error={error}
    >
      <Select value={value} onChange={(e) => onChange(e.target.value as Redirect)}>
        <option value="none">None</option>
        <option value="to-www">To www (example.com → www.example.com)</option>
        <option value="to-non-www">To non-www (www.example.com → example.com)</option>
      </Select>
    </Field>
  );
}
