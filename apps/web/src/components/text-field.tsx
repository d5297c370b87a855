// A labelled text input with its hint and error: the Field around an Input that reports its
// new value rather than the change event. Inside an ApiForm, `field` names the API's field
// whose error it shows. Browsers do not fill it in unless told (`autoComplete`); `code` is for
// machine text (names, addresses, expressions): monospace and not spell-checked.
import type { InputHTMLAttributes } from "react";
import { cn } from "../lib/cn.ts";
import { useFieldError } from "./api-form.tsx";
import { Field } from "./ui/field.tsx";
import { Input } from "./ui/input.tsx";

export function TextField({
  label,
  hint,
  field,
  error,
  onValue,
  autoComplete = "off",
  code,
  className,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "onChange"> & {
  label: string;
  hint?: string;
  /** the API's name for the field, for its error */
  field?: string;
  /** the error to show, when it is not the form's error for `field` */
  error?: string;
  /** machine text: monospace, no spell check */
  code?: boolean;
  /** the input's new value, on every change */
  onValue: (value: string) => void;
}) {
  const formError = useFieldError(field);
  return (
    <Field label={label} hint={hint} error={error ?? formError}>
      <Input
        {...input}
        autoComplete={autoComplete}
        spellCheck={code ? false : input.spellCheck}
        className={cn(code && "font-mono", className)}
        onChange={(event) => onValue(event.target.value)}
      />
    </Field>
  );
}
