// The quick setup's pieces: a numbered step (a tick once done) and "pick one or make one here".
import { Check } from "lucide-react";
import type { ReactNode } from "react";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";

/** the picker's value while the new one's form is shown */
export const NEW = "new";

export function Step({
  number,
  title,
  done,
  children,
}: {
  number: number;
  title: string;
  done: boolean;
  children: ReactNode;
}) {
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          <span
            aria-hidden="true"
            className="inline-flex h-6 w-6 items-center justify-center rounded-full bg-muted text-xs"
          >
            {done ? <Check className="h-4 w-4 text-ok" /> : number}
          </span>
          {title}
        </span>
      }
    >
      <div className="grid gap-4">{children}</div>
    </Card>
  );
}

/** Pick one of `items` or "Make a new one…", which shows `form` in place. */
export function PickOrMake({
  label,
  items,
  value,
  onChange,
  error,
  form,
}: {
  label: string;
  items: { id: string; label: string }[];
  value: string;
  onChange: (id: string) => void;
  error?: string;
  form: ReactNode;
}) {
  return (
    <>
      <Field label={label} error={error}>
        <Select value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{items.length ? "Choose one" : "None yet"}</option>
          {items.map((i) => (
            <option key={i.id} value={i.id}>
              {i.label}
            </option>
          ))}
          <option value={NEW}>Make a new one…</option>
        </Select>
      </Field>
      {value === NEW ? <div className="rounded-md border border-border p-4">{form}</div> : null}
    </>
  );
}
