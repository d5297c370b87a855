// My API keys: programs that act as me, narrowed by scopes. The key is shown once.
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { formatDateTime, formatRelative } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { CreateKeyDialog, keysKey } from "./profile-api-key-dialog.tsx";

type ApiKey = Item<"/api/v1/api-keys">;

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
  const revoke = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/api-keys/{id}", { params: { path: { id: k.id } } })),
    { invalidate: [keysKey] },
  );
  const name = k.name || "Unnamed key";
  return (
    <ActionsWithError error={revoke.error}>
      <ConfirmButton
        size="sm"
        variant="danger"
        mutation={revoke}
        aria-label={`Revoke API key ${name}`}
        confirm={{
          title: `Revoke the API key ${name}?`,
          description: "Programs that use it are refused from now on. This cannot be undone.",
          confirmLabel: "Revoke key",
        }}
      >
        Revoke
      </ConfirmButton>
    </ActionsWithError>
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
    <ListCard
      title="My API keys"
      actions={
        <AddButton
          size="sm"
          label="New API key"
          can="createApiKey"
          onClick={() => setCreating(true)}
        />
      }
      intro="Programs and scripts use API keys to call Steward's API as you. A key can only narrow what you may do, never widen it."
      label="My API keys"
      columns={columns}
      paged={paged}
      rowKey={(k) => k.id}
      empty={<EmptyState title="No API keys yet.">Create one with “New API key”.</EmptyState>}
    >
      <CreateKeyDialog open={creating} onOpenChange={setCreating} />
    </ListCard>
  );
}
