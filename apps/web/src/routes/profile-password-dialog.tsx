// Asking for one's password again before a sensitive change (two-factor settings).
import { type FormEvent, type ReactNode, useState } from "react";
import { CurrentPasswordField } from "../components/auth-fields.tsx";
import { FormActions } from "../components/form-actions.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { useAttempt } from "../lib/attempt.ts";
import { fieldError, unshownError } from "../lib/errors.ts";

/**
 * A dialog that asks for the password before a sensitive change, then shows what the change
 * gave (`result`), if anything; without a result it closes on success.
 */
export function PasswordDialog<T>({
  open,
  onOpenChange,
  title,
  description,
  submitLabel,
  danger,
  run,
  result,
}: DialogProps & {
  title: string;
  description: ReactNode;
  submitLabel: string;
  danger?: boolean;
  run: (password: string) => Promise<T>;
  result?: (value: T, close: () => void) => ReactNode;
}) {
  const [password, setPassword] = useState("");
  const { busy, error, setError, attempt } = useAttempt();
  const [done, setDone] = useState<{ value: T } | null>(null);
  const change = (o: boolean) => {
    if (!o) {
      setPassword("");
      setError(null);
      setDone(null);
    }
    onOpenChange(o);
  };
  const submit = attempt(async () => {
    const value = await run(password);
    setPassword("");
    if (result) setDone({ value });
    else change(false);
  });
  return (
    <Dialog open={open} onOpenChange={change} title={title} description={description}>
      {done && result ? (
        result(done.value, () => change(false))
      ) : (
        <CurrentPasswordForm
          password={password}
          onPasswordChange={setPassword}
          error={error}
          busy={busy}
          submitLabel={submitLabel}
          danger={danger}
          onSubmit={submit}
          onCancel={() => change(false)}
        />
      )}
    </Dialog>
  );
}

/** The form that asks for one's password again before a sensitive change. */
export function CurrentPasswordForm({
  password,
  onPasswordChange,
  error,
  busy,
  submitLabel,
  danger,
  onSubmit,
  onCancel,
}: {
  password: string;
  onPasswordChange: (password: string) => void;
  error: unknown;
  busy: boolean;
  submitLabel: string;
  danger?: boolean;
  onSubmit: (e: FormEvent) => void;
  onCancel: () => void;
}) {
  return (
    <form className="grid gap-4" onSubmit={onSubmit} noValidate>
      <CurrentPasswordField
        label="Your password"
        error={fieldError(error, "password")}
        value={password}
        onValue={onPasswordChange}
        autoFocus
        maxLength={128}
      />
      <ErrorAlert error={unshownError(error, ["password"])} />
      <FormActions submitLabel={submitLabel} busy={busy} danger={danger} onCancel={onCancel} />
    </form>
  );
}
