// Disable/enable and reset second factors, each behind the confirmation dialog.

import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { User } from "./users.tsx";

export function UserActions({ user }: { user: User }) {
  const confirm = useConfirm();
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
  return (
    <div className="grid justify-items-end gap-1">
      <div className="flex flex-wrap justify-end gap-2">
        {user.twoFactorEnabled || user.passkeys ? (
          <Button
            size="sm"
            variant="secondary"
            busy={reset2fa.isPending}
            onClick={async () => {
              const ok = await confirm({
                title: `Reset second factors of ${user.email}?`,
                description:
                  "Their TOTP, recovery codes and passkeys are removed. They sign in with their password alone until they set them up again.",
                confirmLabel: "Reset second factors",
              });
              if (ok) reset2fa.mutate(undefined);
            }}
          >
            Reset 2FA
          </Button>
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
          <Button
            size="sm"
            variant="secondary"
            busy={setDisabled.isPending}
            onClick={async () => {
              const ok = await confirm({
                title: `Disable ${user.email}?`,
                description:
                  "Their sessions end at once, their API keys stop working and they cannot sign in until enabled again.",
                confirmLabel: "Disable user",
              });
              if (ok) setDisabled.mutate(true);
            }}
          >
            Disable
          </Button>
        )}
      </div>
      <ErrorAlert error={setDisabled.error ?? reset2fa.error} />
    </div>
  );
}
