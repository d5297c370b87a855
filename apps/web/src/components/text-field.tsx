// A labelled text input with its hint and error: the Field around an Input that reports its
// new value rather than the change event.
import type { InputHTMLAttributes } from "react";
import { Field } from "./ui/field.tsx";
import { Input } from "./ui/input.tsx";

export function TextField({
  label,
  hint,
  error,
  onValue,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "onChange"> & {
  label: string;
  hint?: string;
  error?: string;
  /** the input's new value, on every change */
  onValue: (value: string) => void;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      <Input {...input} onChange={(event) => onValue(event.target.value)} />
    </Field>
  );
}
