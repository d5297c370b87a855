// My API keys: programs that act as me, narrowed by scopes. The key is shown once.
import { Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { type Column, DataTable } from "../components/data-table.tsx";
import { EmptyState } from "../components/page.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import { api, type Item, type Schema, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { formatDateTime, formatRelative } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { SecretValue } from "./profile-parts.tsx";

type ApiKey = Item<"/api/v1/api-keys">;
type Created = Schema<"/api/v1/api-keys", "post">;

const SCOPES = [
  { value: "*", label: "Everything I may do (*)" },
  { value: "admin", label: "admin: change configuration" },
  { value: "operate", label: "operate: safe operational actions" },
  { value: "read", label: "read: look only" },
] as const;

const keysKey = ["api-keys", "mine"];

function KeyName({ k }: { k: ApiKey }) {
  return (
    <div className="grid min-w-0 gap-0.5">
      <span className="font-medium break-all">{k.name || "Unnamed key"}</span>
      {k.start ? (
        <span className="font-mono text-xs break-all text-fg-muted">{k.start}…</span>
      ) : null}
    </div>
  );
}

function Expiry({ k }: { k: ApiKey }) {
  if (!k.expiresAt) return <span className="text-fg-muted">never</span>;
  const expired = new Date(k.expiresAt).getTime() <= Date.now();
  return expired ? (
    <Badge tone="danger">expired</Badge>
  ) : (
    <span>{formatDateTime(k.expiresAt)}</span>
  );
}

function RevokeButton({ k }: { k: ApiKey }) {
  const confirm = useConfirm();
  const revoke = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/api-keys/{id}", { params: { path: { id: k.id } } })),
    { invalidate: [keysKey] },
  );
  const name = k.name || "Unnamed key";
  return (
    <div className="grid justify-items-end gap-1">
      <Button
        size="sm"
        variant="danger"
        busy={revoke.isPending}
        aria-label={`Revoke API key ${name}`}
        onClick={async () => {
          const ok = await confirm({
            title: `Revoke the API key ${name}?`,
            description: "Programs that use it are refused from now on. This cannot be undone.",
            confirmLabel: "Revoke key",
          });
          if (ok) revoke.mutate(undefined);
        }}
      >
        Revoke
      </Button>
      <ErrorAlert error={revoke.error} />
    </div>
  );
}

const columns: Column<ApiKey>[] = [
  { header: "Name", cell: (k) => <KeyName k={k} /> },
  {
    header: "Scopes",
    cell: (k) => (
      <span className="flex flex-wrap gap-1">
        {k.scopes.map((s) => (
          <Badge key={s}>{s}</Badge>
        ))}
      </span>
    ),
  },
  { header: "Expires", cell: (k) => <Expiry k={k} /> },
  {
    header: "Last used",
    cell: (k) => (k.lastUsedAt ? formatRelative(k.lastUsedAt) : "never"),
    wide: true,
  },
  { header: "Created", cell: (k) => formatDateTime(k.createdAt), wide: true },
  { header: "Actions", cell: (k) => <RevokeButton k={k} />, className: "text-right" },
];

export function ApiKeysCard() {
  const [creating, setCreating] = useState(false);
  const paged = usePaged(keysKey, async (cursor, limit) =>
    unwrap(await api.GET("/api/v1/api-keys", { params: { query: { cursor, limit } } })),
  );
  return (
    <Card
      title="My API keys"
      actions={
        <Button size="sm" onClick={() => setCreating(true)}>
          <Plus className="h-4 w-4" aria-hidden="true" /> New API key
        </Button>
      }
    >
      <div className="grid gap-4">
        <p className="text-sm text-fg-muted">
          Programs and scripts use API keys to call Steward's API as you. A key can only narrow what
          you may do, never widen it.
        </p>
        <DataTable
          label="My API keys"
          columns={columns}
          paged={paged}
          rowKey={(k) => k.id}
          empty={<EmptyState title="No API keys yet.">Create one with “New API key”.</EmptyState>}
        />
      </div>
      <CreateKeyDialog open={creating} onOpenChange={setCreating} />
    </Card>
  );
}

function CreateKeyDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={change}
      title={created ? "Your new API key" : "New API key"}
      description={
        created
          ? "Copy the key now and keep it secret."
          : "The key acts as you, within the scope you choose."
      }
    >
      {created ? (
        <div className="grid gap-4">
          <Alert tone="error">
            This is the only time the key is shown. Steward keeps only a hash of it: if you lose it,
            revoke it and make a new one.
          </Alert>
          <SecretValue label="API key" value={created.key} />
          <p className="text-sm text-fg-muted">
            Send it as <code className="font-mono break-all">Authorization: Bearer …</code>
          </p>
          <div className="flex justify-end">
            <Button onClick={() => change(false)}>Done</Button>
          </div>
        </div>
      ) : (
        <form className="grid gap-4" onSubmit={submit} noValidate>
          <Field
            label="Name"
            hint="What uses it, e.g. “backup script”."
            error={fieldError(create.error, "name")}
          >
            <Input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={32}
              autoComplete="off"
              autoFocus
            />
          </Field>
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
          <Field
            label="Expires after (days)"
            hint="Optional, 1 to 3650. Empty: the key does not expire."
            error={fieldError(create.error, "expiresInDays")}
          >
            <Input
              type="number"
              inputMode="numeric"
              min={1}
              max={3650}
              value={days}
              onChange={(e) => setDays(e.target.value)}
              className="max-w-40"
            />
          </Field>
          <ErrorAlert
            error={unshownError(create.error, ["name", "scopes", "scopes.0", "expiresInDays"])}
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => change(false)}>
              Cancel
            </Button>
            <Button type="submit" busy={create.isPending}>
              Create key
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
