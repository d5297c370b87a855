// A user's admin actions: disable/enable, reset second factors, unlink GitHub and set a new
// password, each behind the confirmation dialog.
import { KeyRound } from "lucide-react";
import { type FormEvent, useState } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { FormActions } from "../components/form-actions.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { NewPasswordFields, useNewPassword } from "../components/new-password-fields.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { User } from "./users.tsx";

export function UserActions({ user }: { user: User }) {
  const invalidate = [["users"], ["user", user.id]];
  const setDisabled = useApiMutation(
    async (disabled: boolean) =>
      unwrap(
        await api.PATCH("/api/v1/users/{id}", {
          params: { path: { id: user.id } },
          body: { disabled },
        }),
      ),
    { invalidate },
  );
  const reset2fa = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/users/{id}/reset-2fa", {
          params: { path: { id: user.id } },
          body: { passkeys: true },
        }),
      ),
    { invalidate },
  );
  const unlinkGithub = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/users/{id}/github", { params: { path: { id: user.id } } })),
    { invalidate },
  );
  return (
    <ActionsWithError error={setDisabled.error ?? reset2fa.error ?? unlinkGithub.error}>
      <div className="flex flex-wrap justify-end gap-2">
        {user.githubLinked ? (
          <ConfirmButton
            size="sm"
            variant="secondary"
            mutation={unlinkGithub}
            confirm={{
              title: `Unlink the GitHub account of ${user.email}?`,
              description:
                "GitHub no longer signs them in. Their sessions stay (disable the user to end them); they can link a GitHub account again from their profile.",
              confirmLabel: "Unlink GitHub",
            }}
          >
            Unlink GitHub
          </ConfirmButton>
        ) : null}
        {user.twoFactorEnabled || user.passkeys ? (
          <ConfirmButton
            size="sm"
            variant="secondary"
            mutation={reset2fa}
            confirm={{
              title: `Reset second factors of ${user.email}?`,
              description:
                "Their TOTP, recovery codes and passkeys are removed. They sign in with their password alone until they set them up again.",
              confirmLabel: "Reset second factors",
            }}
          >
            Reset 2FA
          </ConfirmButton>
        ) : null}
        {user.disabled ? (
          <Button
            size="sm"
            variant="secondary"
            busy={setDisabled.isPending}
            onClick={() => setDisabled.mutate(false)}
          >
            Enable
          </Button>
        ) : (
          <ConfirmButton
            size="sm"
            variant="secondary"
            busy={setDisabled.isPending}
            confirm={{
              title: `Disable ${user.email}?`,
              description:
                "Their sessions end at once, their API keys stop working and they cannot sign in until enabled again.",
              confirmLabel: "Disable user",
            }}
            onConfirm={() => setDisabled.mutate(true)}
          >
            Disable
          </ConfirmButton>
        )}
      </div>
    </ActionsWithError>
  );
}

export function SetPasswordButton({ user }: { user: User }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="secondary" onClick={() => setOpen(true)}>
        <KeyRound className="h-4 w-4" aria-hidden="true" /> Set password
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title="Set a new password"
        description={<span className="break-all">For {user.email}.</span>}
      >
        {(done) => <SetPasswordForm user={user} onDone={done} />}
      </FormDialog>
    </>
  );
}

function SetPasswordForm({ user, onDone }: { user: User; onDone: () => void }) {
  const confirm = useConfirm();
  const newPassword = useNewPassword();
  const [done, setDone] = useState(false);
  const set = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/users/{id}/password", {
          params: { path: { id: user.id } },
          body: { password: newPassword.password },
        }),
      ),
    { invalidate: [["user", user.id]], onSuccess: () => setDone(true) },
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!newPassword.matches()) return;
    const ok = await confirm({
      title: `Replace the password of ${user.email}?`,
      description:
        "Their current password stops working, every session of theirs ends and every API key of theirs is revoked. Tell them the new password through a safe channel.",
      confirmLabel: "Set password",
    });
    if (ok) set.mutate(undefined);
  };
  if (done) {
    return (
      <div className="grid gap-4">
        <Alert tone="ok">
          The password is set; their sessions have ended and their API keys are revoked.
        </Alert>
        <div className="flex justify-end">
          <Button onClick={onDone}>Close</Button>
        </div>
      </div>
    );
  }
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <NewPasswordFields
        state={newPassword}
        label="New password"
        repeatLabel="Repeat the new password"
        mismatchText="The two passwords differ."
        error={fieldError(set.error, "password")}
      />
      <ErrorAlert error={unshownError(set.error, ["password"])} />
      <FormActions submitLabel="Set password" busy={set.isPending} onCancel={onDone} />
    </form>
  );
}
