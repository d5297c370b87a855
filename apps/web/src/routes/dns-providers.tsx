// DNS providers: an account's Cloudflare API tokens, which hold zones for Steward (a zone "at a
// DNS provider") and publish dns-01 challenges for certificates. One account's list at a time
// (the account in the URL, else the first one); the token is written once and never shown;
// "Test" checks it again and refreshes the zones it reaches; deleting asks first.
import { getRouteApi } from "@tanstack/react-router";
import { PlugZap, Trash2 } from "lucide-react";
import { type SelectHTMLAttributes, useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ApiForm } from "../components/api-form.tsx";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { ListField } from "../components/list-field.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { TextField } from "../components/text-field.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { parseNames } from "./site-form-parts.tsx";
import { useAccounts } from "./tasks-parts.tsx";

const route = getRouteApi("/app/dns/providers");

export type DnsProvider = Item<"/api/v1/dns-providers">;
type ProviderInput =
  paths["/api/v1/dns-providers"]["post"]["requestBody"]["content"]["application/json"];

/** The account shown: the URL's, else the first the caller reads. */
export function useProviderAccount(chosen: string | undefined): string | undefined {
  const accounts = useAccounts();
  return chosen || accounts.data?.[0]?.id;
}

/** An account's DNS providers (one page: an account has a handful). */
export function useProviders(account: string | undefined) {
  return usePaged(["dns-providers", account ?? ""], async () =>
    account
      ? {
          ...unwrap(await api.GET("/api/v1/dns-providers", { params: { query: { account } } })),
          nextCursor: null,
        }
      : { items: [], nextCursor: null },
  );
}

function ProviderActions({ provider }: { provider: DnsProvider }) {
  const path = { params: { path: { id: provider.id } } };
  const test = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/dns-providers/{id}/test", path)),
    { invalidate: [["dns-providers"]] },
  );
  const remove = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/dns-providers/{id}", path)),
    { invalidate: [["dns-providers"]] },
  );
  return (
    <ActionsWithError error={test.error ?? remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <Button
          size="sm"
          variant="secondary"
          busy={test.isPending}
          aria-label={`Test ${provider.name}`}
          onClick={() => test.mutate(undefined)}
        >
          <PlugZap className="h-4 w-4" aria-hidden="true" /> Test
        </Button>
        <ConfirmButton
          size="sm"
          variant="danger"
          mutation={remove}
          aria-label={`Delete ${provider.name}`}
          confirm={{
            title: `Delete the DNS provider ${provider.name}?`,
            description:
              "Steward forgets its token. Zones it holds and certificates that prove names through it stop working until another provider replaces it.",
            confirmLabel: "Delete provider",
          }}
        >
          <Trash2 className="h-4 w-4" aria-hidden="true" /> Delete
        </ConfirmButton>
      </div>
    </ActionsWithError>
  );
}

/** The accounts one reads, by name (a provider always belongs to one). */
export function AccountPicker({
  value,
  onChange,
  ...rest
}: { value: string; onChange: (id: string) => void } & Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  "value" | "onChange"
>) {
  const accounts = useAccounts();
  return (
    <Select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      {value ? null : <option value="">Choose an account</option>}
      {(accounts.data ?? []).map((a) => (
        <option key={a.id} value={a.id}>
          {a.name}
        </option>
      ))}
    </Select>
  );
}

const columns: Column<DnsProvider>[] = [
  {
    header: "Provider",
    cell: (p) => (
      <span className="grid gap-0.5">
        <span className="font-medium break-all">{p.name}</span>
        <span className="text-xs text-fg-muted">
          {p.kind === "cloudflare" ? "Cloudflare" : p.kind}
        </span>
      </span>
    ),
  },
  {
    header: "Zones it reaches",
    cell: (p) => (
      <span className="flex flex-wrap gap-1">
        {p.zones.length ? p.zones.map((z) => <Badge key={z}>{z}</Badge>) : "none"}
      </span>
    ),
  },
  { header: "Added", cell: (p) => formatDateTime(p.createdAt), wide: true },
  { header: "Actions", cell: (p) => <ProviderActions provider={p} />, className: "text-right" },
];

export function DnsProvidersPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/dns/providers", search);
  const account = useProviderAccount(search.account);
  const [creating, setCreating] = useState(false);
  const paged = useProviders(account);
  return (
    <>
      <ListPage
        title="DNS providers"
        description="Cloudflare API tokens of an account: they hold zones for Steward and publish the dns-01 challenges of certificates. A token is checked when it is added, sealed at rest and never shown again."
        actions={
          <AddButton label="New provider" can="createSite" onClick={() => setCreating(true)} />
        }
        filters={{
          ...filters,
          active: false,
          controls: (
            <AccountPicker
              aria-label="Account"
              className="w-48"
              value={account ?? ""}
              onChange={(v) => filters.set({ account: v || undefined })}
            />
          ),
        }}
        label="DNS providers"
        columns={columns}
        paged={paged}
        rowKey={(p) => p.id}
        empty={
          <EmptyState title="This account has no DNS provider.">
            Add a Cloudflare API token with “New provider” (Zone → DNS → Edit on the zones).
          </EmptyState>
        }
      />
      <ProviderDialog account={account} open={creating} onOpenChange={setCreating} />
    </>
  );
}

function ProviderDialog({ account, open, onOpenChange }: DialogProps & { account?: string }) {
  const save = useApiMutation(
    async (body: ProviderInput) => unwrap(await api.POST("/api/v1/dns-providers", { body })),
    { invalidate: [["dns-providers"]], onSuccess: () => onOpenChange(false) },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title="New DNS provider"
      description="Steward checks the token with Cloudflare before it keeps it."
    >
      {(done) => <ProviderForm account={account} mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function ProviderForm({
  account: initial,
  mutation,
  onCancel,
}: {
  account?: string;
  mutation: Parameters<typeof ApiForm<ProviderInput>>[0]["mutation"];
  onCancel: () => void;
}) {
  const [account, setAccount] = useState(initial ?? "");
  const [name, setName] = useState("");
  const [token, setToken] = useState("");
  const [zones, setZones] = useState("");
  const zoneList = parseNames(zones);
  return (
    <ApiForm
      mutation={mutation}
      input={{
        account,
        kind: "cloudflare",
        name: name.trim(),
        token: token.trim(),
        zones: zoneList.length ? zoneList : undefined,
      }}
      shown={["account", "name", "token", "zones"]}
      submitLabel="Check and add"
      onCancel={onCancel}
    >
      <Field
        label="Account"
        hint="Its admins use the provider for zones and certificates."
        error={fieldError(mutation.error, "account")}
      >
        <AccountPicker value={account} onChange={setAccount} />
      </Field>
      <TextField label="Name" field="name" value={name} onValue={setName} maxLength={63} />
      <TextField
        label="Cloudflare API token"
        field="token"
        type="password"
        autoComplete="new-password"
        hint="A token with Zone → DNS → Edit on the zones; shown nowhere once saved."
        value={token}
        onValue={setToken}
        code
      />
      <ListField
        label="Zones (optional)"
        hint="Separated by commas or lines. Left empty: every zone the token reaches."
        error={fieldError(mutation.error, "zones")}
        rows={2}
        value={zones}
        onValue={setZones}
        placeholder="example.com"
      />
    </ApiForm>
  );
}
