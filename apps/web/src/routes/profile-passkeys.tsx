// Passkeys: sign in with this device's screen lock or a security key instead of a password.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { KeyRound } from "lucide-react";
import { type FormEvent, useState } from "react";
import { ConfirmButton } from "../components/confirm-button.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button, Spinner } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import {
  deletePasskey,
  isSessionNotFresh,
  listPasskeys,
  type Passkey,
  registerPasskey,
  signOut,
} from "../lib/auth.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";

const passkeysKey = ["passkeys"];
const supported = () => typeof window !== "undefined" && "PublicKeyCredential" in window;

export function PasskeysCard() {
  const list = useQuery({ queryKey: passkeysKey, queryFn: listPasskeys });
  return (
    <Card title="Passkeys">
      <div className="grid gap-5">
        <p className="text-sm text-fg-muted">
          A passkey signs you in with this device's screen lock or a security key, without your
          password. It cannot be phished or guessed.
        </p>
        {list.isPending ? (
          <p className="flex items-center gap-2 text-sm text-fg-muted" role="status">
            <Spinner /> Loading passkeys…
          </p>
        ) : list.isError ? (
          <ErrorAlert error={list.error} />
        ) : list.data.length === 0 ? (
          <p className="rounded-md border border-dashed border-border p-4 text-center text-sm">
            No passkeys yet.
          </p>
        ) : (
          <ul
            aria-label="Your passkeys"
            className="divide-y divide-border rounded-md border border-border"
          >
            {list.data.map((p) => (
              <PasskeyRow key={p.id} passkey={p} />
            ))}
          </ul>
        )}
        <AddPasskey />
      </div>
    </Card>
  );
}

function PasskeyRow({ passkey }: { passkey: Passkey }) {
  const name = passkey.name || "Unnamed passkey";
  const remove = useApiMutation(() => deletePasskey(passkey.id), {
    invalidate: [passkeysKey, ["me"]],
  });
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 px-3 py-2">
      <div className="grid min-w-0 flex-1 gap-1">
        <span className="flex min-w-0 items-center gap-2 font-medium">
          <KeyRound className="h-4 w-4 shrink-0" aria-hidden="true" />
          <span className="min-w-0 break-all">{name}</span>
        </span>
        <span className="flex flex-wrap items-center gap-2 text-xs text-fg-muted">
          Added {formatDateTime(passkey.createdAt)}
          {passkey.backedUp ? <Badge>synced</Badge> : <Badge>this device only</Badge>}
        </span>
        <ErrorAlert error={remove.error} />
      </div>
      <ConfirmButton
        size="sm"
        variant="danger"
        mutation={remove}
        aria-label={`Remove passkey ${name}`}
        confirm={{
          title: `Remove the passkey ${name}?`,
          description:
            "You can no longer sign in with it. Remove it from the device or password manager too.",
          confirmLabel: "Remove passkey",
        }}
      >
        Remove
      </ConfirmButton>
    </li>
  );
}

function AddPasskey() {
  const [name, setName] = useState("");
  const [added, setAdded] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const add = useApiMutation((n: string) => registerPasskey(n), {
    invalidate: [passkeysKey, ["me"]],
    onSuccess: () => {
      setName("");
      setAdded(true);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdded(false);
    add.mutate(name.trim());
  };
  if (!supported()) {
    return <Alert>This browser cannot create passkeys.</Alert>;
  }
  return (
    <form className="grid gap-3 sm:max-w-md" onSubmit={submit} noValidate>
      <Field label="Passkey name" hint="To tell your passkeys apart, for example “Work laptop”.">
        <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
      </Field>
      {isSessionNotFresh(add.error) ? (
        <Alert tone="error">
          <p>
            For your security, adding a passkey needs a recent sign-in. Sign in again, then add the
            passkey.
          </p>
          <Button
            size="sm"
            variant="secondary"
            className="mt-2"
            onClick={async () => {
              await signOut().catch(() => undefined);
              queryClient.clear();
              await navigate({ to: "/sign-in", search: { redirect: "/profile" } });
            }}
          >
            Sign in again
          </Button>
        </Alert>
      ) : (
        <ErrorAlert error={add.error} />
      )}
      {added ? <Alert tone="ok">Passkey added.</Alert> : null}
      <div>
        <Button type="submit" busy={add.isPending}>
          <KeyRound className="h-4 w-4" aria-hidden="true" />
          Add a passkey
        </Button>
      </div>
    </form>
  );
}
