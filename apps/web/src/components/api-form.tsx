// A dialog's or page's form that sends one request: its fields, the API's error that no field
// shows already, then Cancel and the button that sends it. Sending never reloads the page.
import type { FormEvent, ReactNode } from "react";
import { unshownError } from "../lib/errors.ts";
import { FormActions } from "./form-actions.tsx";
import { ErrorAlert } from "./ui/alert.tsx";

export function ApiForm({
  onSubmit,
  error,
  shown,
  busy,
  submitLabel,
  onCancel,
  danger,
  disabled,
  children,
}: {
  /** sends the form (the browser's own submit is prevented) */
  onSubmit: () => void;
  /** the request's error, if any */
  error: unknown;
  /** the fields whose errors are shown at the fields themselves */
  shown: string[];
  busy: boolean;
  submitLabel: string;
  onCancel: () => void;
  danger?: boolean;
  disabled?: boolean;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      {children}
      <ErrorAlert error={unshownError(error, shown)} />
      <FormActions
        submitLabel={submitLabel}
        busy={busy}
        onCancel={onCancel}
        danger={danger}
        disabled={disabled}
      />
    </form>
  );
}
