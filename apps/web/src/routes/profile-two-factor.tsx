// Two-factor authentication with an authenticator app (TOTP): turn on (password, QR code,
// recovery codes, a first code), make new recovery codes, turn off.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmButton } from "../components/confirm-button.tsx";
import { Alert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { disableTotp, newRecoveryCodes } from "../lib/auth.ts";
import { useMe } from "../lib/session.ts";
import { RecoveryCodes } from "./profile-parts.tsx";
import { PasswordDialog } from "./profile-password-dialog.tsx";
import { EnableDialog } from "./profile-totp-enable.tsx";

export function TwoFactorCard() {
  const me = useMe();
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
              <ConfirmButton
                variant="secondary"
                confirm={{
                  title: "Make new recovery codes?",
                  description:
                    "Your current recovery codes stop working at once. Store the new ones before you leave this dialog.",
                  confirmLabel: "Make new codes",
                }}
                onConfirm={() => openDialog("codes")}
              >
                New recovery codes
              </ConfirmButton>
              <ConfirmButton
                variant="danger"
                confirm={{
                  title: "Turn off two-factor authentication?",
                  description:
                    "Signing in will need only your password. Your authenticator app and recovery codes stop working for this account.",
                  confirmLabel: "Turn off",
                }}
                onConfirm={() => openDialog("disable")}
              >
                Turn off
              </ConfirmButton>
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
