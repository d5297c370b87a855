// Two-factor authentication with an authenticator app (TOTP): turn on (password, QR code,
// recovery codes, a first code), make new recovery codes, turn off.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button, Spinner } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { confirmTotp, disableTotp, enableTotp, newRecoveryCodes } from "../lib/auth.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useMe } from "../lib/session.ts";
import { PasswordDialog, RecoveryCodes, SecretValue } from "./profile-parts.tsx";

export function TwoFactorCard() {
  const me = useMe();
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<"enable" | "disable" | "codes" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refreshMe = () => queryClient.invalidateQueries({ queryKey: ["me"] });
  const openDialog = (d: typeof dialog) => {
    setNotice(null);
    setDialog(d);
  };
  const close = (o: boolean) => !o && setDialog(null);

  return (
    <Card
      title="Two-factor authentication"
      actions={me.twoFactorEnabled ? <Badge tone="ok">on</Badge> : <Badge tone="warn">off</Badge>}
    >
      <div className="grid gap-4">
        <p className="text-sm text-fg-muted">
          {me.twoFactorEnabled
            ? "After your password, signing in asks for a code from your authenticator app, or one of your recovery codes."
            : "Add a second step to signing in: a code from an authenticator app on your phone. Someone who learns your password still cannot sign in as you."}
        </p>
        {notice ? <Alert tone="ok">{notice}</Alert> : null}
        <div className="flex flex-wrap gap-2">
          {me.twoFactorEnabled ? (
            <>
              <Button
                variant="secondary"
                onClick={async () => {
                  const ok = await confirm({
                    title: "Make new recovery codes?",
                    description:
                      "Your current recovery codes stop working at once. Store the new ones before you leave this dialog.",
                    confirmLabel: "Make new codes",
                  });
                  if (ok) openDialog("codes");
                }}
              >
                New recovery codes
              </Button>
              <Button
                variant="danger"
                onClick={async () => {
                  const ok = await confirm({
                    title: "Turn off two-factor authentication?",
                    description:
                      "Signing in will need only your password. Your authenticator app and recovery codes stop working for this account.",
                    confirmLabel: "Turn off",
                  });
                  if (ok) openDialog("disable");
                }}
              >
                Turn off
              </Button>
            </>
          ) : (
            <Button onClick={() => openDialog("enable")}>Turn on two-factor authentication</Button>
          )}
        </div>
      </div>
      <EnableDialog
        open={dialog === "enable"}
        onOpenChange={close}
        onEnabled={async () => {
          await refreshMe();
          setDialog(null);
          setNotice("Two-factor authentication is on.");
        }}
      />
      <PasswordDialog
        open={dialog === "disable"}
        onOpenChange={close}
        title="Turn off two-factor authentication"
        description="Enter your password to turn it off."
        submitLabel="Turn off"
        danger
        run={async (password) => {
          await disableTotp(password);
          await refreshMe();
          setNotice("Two-factor authentication is off.");
        }}
      />
      <PasswordDialog
        open={dialog === "codes"}
        onOpenChange={close}
        title="New recovery codes"
        description="Enter your password to make new recovery codes."
        submitLabel="Make new codes"
        run={async (password) => (await newRecoveryCodes(password)).backupCodes}
        result={(codes, done) => (
          <div className="grid gap-4">
            <RecoveryCodes codes={codes} />
            <div className="flex justify-end">
              <Button onClick={done}>I have stored them</Button>
            </div>
          </div>
        )}
      />
    </Card>
  );
}

/** The secret of an otpauth:// URI, for typing into an app by hand. */
function secretOf(uri: string): string {
  try {
    return new URL(uri).searchParams.get("secret") ?? "";
  } catch {
    return "";
  }
}

function EnableDialog({
  open,
  onOpenChange,
  onEnabled,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onEnabled: () => Promise<void>;
}) {
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [started, setStarted] = useState<{ totpURI: string; backupCodes: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const change = (o: boolean) => {
    if (!o) {
      setPassword("");
      setCode("");
      setStarted(null);
      setError(null);
    }
    onOpenChange(o);
  };
  const attempt = (fn: () => Promise<void>) => async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
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
            <Field label="Authentication code" error={fieldError(error, "code")}>
              <Input
                value={code}
                onChange={(e) => setCode(e.target.value)}
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={10}
                className="max-w-40 font-mono"
              />
            </Field>
          </section>
          <ErrorAlert error={unshownError(error, ["code"])} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => change(false)}>
              Cancel
            </Button>
            <Button type="submit" busy={busy}>
              Turn on
            </Button>
          </div>
        </form>
      ) : (
        <form className="grid gap-4" onSubmit={start} noValidate>
          <Field label="Your password" error={fieldError(error, "password")}>
            <Input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              autoFocus
              maxLength={128}
            />
          </Field>
          <ErrorAlert error={unshownError(error, ["password"])} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => change(false)}>
              Cancel
            </Button>
            <Button type="submit" busy={busy}>
              Continue
            </Button>
          </div>
        </form>
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
