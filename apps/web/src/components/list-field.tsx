// A labelled box for a list of machine names (domains, address ranges): one per line,
// monospace, not spell-checked, with its hint and the API's error.
import type { TextareaHTMLAttributes } from "react";
import { cn } from "../lib/cn.ts";
import { Field } from "./ui/field.tsx";
import { Textarea } from "./ui/input.tsx";

export function ListField({
  label,
  hint,
  error,
  onValue,
  className,
  ...textarea
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "onChange"> & {
  label: string;
  hint: string;
  error?: string;
  /** the text's new value, on every change */
  onValue: (value: string) => void;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      <Textarea
        {...textarea}
        onChange={(event) => onValue(event.target.value)}
        spellCheck={false}
        autoComplete="off"
        className={cn("font-mono", className)}
      />
    </Field>
  );
}
