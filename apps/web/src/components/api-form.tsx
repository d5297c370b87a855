// A dialog's or page's form that sends one request: its fields, the API's error that no field
// shows already, then Cancel and the button that sends it. Sending never reloads the page.
// The fields inside (TextField with `field`) read their own error from the form.
import { createContext, type FormEvent, type ReactNode, useContext } from "react";
import { fieldError, unshownError } from "../lib/errors.ts";
import { FormActions } from "./form-actions.tsx";
import { ErrorAlert } from "./ui/alert.tsx";

/** What the form needs of a mutation (TanStack Query's result fits). */
export interface FormMutation<In> {
  mutate: (input: In) => void;
  error: unknown;
  isPending: boolean;
}

const FormErrorContext = createContext<unknown>(null);

/** The API's error for one field of the form around, if any. */
export function useFieldError(field: string | undefined): string | undefined {
  const error = useContext(FormErrorContext);
  return field === undefined ? undefined : fieldError(error, field);
}

type FormInput<In> = [undefined] extends [In] ? { input?: In } : { input: In };

export function ApiForm<In>({
  mutation,
  input,
  shown,
  submitLabel,
  onCancel,
  danger,
  disabled,
  children,
}: FormInput<In> & {
  /** sends the form with `input` (the browser's own submit is prevented) */
  mutation: FormMutation<In>;
  /** the fields whose errors are shown at the fields themselves */
  shown: string[];
  submitLabel: string;
  onCancel: () => void;
  danger?: boolean;
  disabled?: boolean;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(input as In);
  };
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <FormErrorContext.Provider value={mutation.error}>{children}</FormErrorContext.Provider>
      <ErrorAlert error={unshownError(mutation.error, shown)} />
      <FormActions
        submitLabel={submitLabel}
        busy={mutation.isPending}
        onCancel={onCancel}
        danger={danger}
        disabled={disabled}
      />
    </form>
  );
}
