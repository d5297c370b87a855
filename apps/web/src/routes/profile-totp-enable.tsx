// Turning on two-factor authentication: the password, then the QR code (or the secret key),
// the recovery codes and a first code from the app.
import { useEffect, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { TextField } from "../components/text-field.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Spinner } from "../components/ui/button.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { useAttempt } from "../lib/attempt.ts";
import { confirmTotp, enableTotp } from "../lib/auth.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { RecoveryCodes, SecretValue } from "./profile-parts.tsx";
import { CurrentPasswordForm } from "./profile-password-dialog.tsx";

/** The secret of an otpauth:// URI, for typing into an app by hand. */
function secretOf(uri: string): string {
  try {
    return new URL(uri).searchParams.get("secret") ?? "";
  } catch {
    return "";
  }
}

export function EnableDialog({
  open,
  onOpenChange,
  onEnabled,
}: DialogProps & {
  onEnabled: () => Promise<void>;
}) {
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [started, setStarted] = useState<{ totpURI: string; backupCodes: string[] } | null>(null);
  const { busy, error, setError, attempt } = useAttempt();

  const change = (o: boolean) => {
    if (!o) {
      setPassword("");
      setCode("");
      setStarted(null);
      setError(null);
    }
    onOpenChange(o);
  };
  const start = attempt(async () => {
    setStarted(await enableTotp(password));
    setPassword("");
  });
  const finish = attempt(async () => {
    await confirmTotp(code.replace(/\s/g, ""));
    await onEnabled();
    change(false);
  });

  return (
    <Dialog
      open={open}
      onOpenChange={change}
      title="Turn on two-factor authentication"
      description={
        started
          ? "Add Steward to your authenticator app, store your recovery codes, then enter the code the app shows."
          : "Enter your password to start."
      }
    >
      {started ? (
        <form className="grid gap-5" onSubmit={finish} noValidate>
          <section className="grid gap-3" aria-labelledby="totp-step-app">
            <h3 id="totp-step-app" className="text-sm font-semibold">
              1. Scan the QR code with your authenticator app
            </h3>
            <QrCode uri={started.totpURI} />
            <p className="text-sm text-fg-muted">
              Cannot scan it? Type the secret key into the app instead.
            </p>
            <SecretValue
              label="Secret key"
              value={
                secretOf(started.totpURI)
                  .match(/.{1,4}/g)
                  ?.join(" ") ?? ""
              }
            />
          </section>
          <section className="grid gap-3" aria-labelledby="totp-step-codes">
            <h3 id="totp-step-codes" className="text-sm font-semibold">
              2. Store your recovery codes
            </h3>
            <RecoveryCodes codes={started.backupCodes} />
          </section>
          <section className="grid gap-3" aria-labelledby="totp-step-verify">
            <h3 id="totp-step-verify" className="text-sm font-semibold">
              3. Enter the code from the app
            </h3>
            <TextField
              label="Authentication code"
              error={fieldError(error, "code")}
              value={code}
              onValue={setCode}
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={10}
              className="max-w-40 font-mono"
            />
          </section>
          <ErrorAlert error={unshownError(error, ["code"])} />
          <FormActions submitLabel="Turn on" busy={busy} onCancel={() => change(false)} />
        </form>
      ) : (
        <CurrentPasswordForm
          password={password}
          onPasswordChange={setPassword}
          error={error}
          busy={busy}
          submitLabel="Continue"
          onSubmit={start}
          onCancel={() => change(false)}
        />
      )}
    </Dialog>
  );
}

/** The QR code of the otpauth:// URI; the qrcode library loads only when needed. */
function QrCode({ uri }: { uri: string }) {
  const [src, setSrc] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    import("qrcode")
      .then((m) => m.default.toDataURL(uri, { margin: 1, width: 200, errorCorrectionLevel: "M" }))
      .then(
        (url) => live && setSrc(url),
        () => live && setSrc(null),
      );
    return () => {
      live = false;
    };
  }, [uri]);
  if (src === undefined) {
    return (
      <p className="flex items-center gap-2 text-sm text-fg-muted" role="status">
        <Spinner /> Drawing the QR code…
      </p>
    );
  }
  if (src === null) {
    return <Alert>The QR code cannot be drawn here; type the secret key instead.</Alert>;
  }
  return (
    <img
      src={src}
      alt="QR code for your authenticator app"
      width={200}
      height={200}
      className="rounded-md border border-border bg-white p-1"
    />
  );
}
