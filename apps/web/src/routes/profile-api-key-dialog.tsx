// Making an API key: name, scope and expiry; the key is shown once, in the same dialog.
import { useState } from "react";
import { SecretDialog } from "../components/secret-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { Alert } from "../components/ui/alert.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { SecretValue } from "./profile-parts.tsx";

type Created = Schema<"/api/v1/api-keys", "post">;

const SCOPES = [
  { value: "*", label: "Everything I may do (*)" },
  { value: "admin", label: "admin: change configuration" },
  { value: "operate", label: "operate: safe operational actions" },
  { value: "read", label: "read: look only" },
] as const;

/** The query key of one's own API keys, refreshed when a key is made. */
export const keysKey = ["api-keys", "mine"];

export function CreateKeyDialog({ open, onOpenChange }: DialogProps) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState<(typeof SCOPES)[number]["value"]>("*");
  const [days, setDays] = useState("");
  const [created, setCreated] = useState<Created | null>(null);
  const create = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/api-keys", {
          body: {
            name: name.trim(),
            scopes: [scope],
            expiresInDays: days.trim() === "" ? undefined : Number(days),
          },
        }),
      ),
    { invalidate: [keysKey], onSuccess: (out) => setCreated(out) },
  );
  const change = (o: boolean) => {
    if (!o) {
      setName("");
      setScope("*");
      setDays("");
      setCreated(null);
      create.reset();
    }
    onOpenChange(o);
  };
  return (
    <SecretDialog
      open={open}
      onOpenChange={change}
      title={created ? "Your new API key" : "New API key"}
      description={
        created
          ? "Copy the key now and keep it secret."
          : "The key acts as you, within the scope you choose."
      }
      secret={
        created ? (
          <>
            <Alert tone="error">
              This is the only time the key is shown. Steward keeps only a hash of it: if you lose
              it, revoke it and make a new one.
            </Alert>
            <SecretValue label="API key" value={created.key} />
            <p className="text-sm text-fg-muted">
              Send it as <code className="font-mono break-all">Authorization: Bearer …</code>
            </p>
          </>
        ) : null
      }
      form={{
        mutation: create,
        shown: ["name", "scopes", "scopes.0", "expiresInDays"],
        submitLabel: "Create key",
      }}
    >
      <TextField
        label="Name"
        hint="What uses it, e.g. “backup script”."
        field="name"
        value={name}
        onValue={setName}
        maxLength={32}
        autoFocus
      />
      <Field
        label="Scope"
        hint="The most the key may do; never more than you may."
        error={fieldError(create.error, "scopes") ?? fieldError(create.error, "scopes.0")}
      >
        <Select
          value={scope}
          onChange={(e) => setScope(e.target.value as (typeof SCOPES)[number]["value"])}
        >
          {SCOPES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </Select>
      </Field>
      <TextField
        label="Expires after (days)"
        hint="Optional, 1 to 3650. Empty: the key does not expire."
        field="expiresInDays"
        type="number"
        inputMode="numeric"
        min={1}
        max={3650}
        value={days}
        onValue={setDays}
        className="max-w-40"
      />
    </SecretDialog>
  );
}
