// A new zone held at a DNS provider: the account's provider (by name), whether to start from
// the records it already holds, and whether records Steward did not write are deleted there.
import { Link } from "@tanstack/react-router";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { useProviders } from "./dns-providers.tsx";

export function ProviderFields({
  account,
  provider,
  onProvider,
  importRecords,
  onImport,
  fullSync,
  onFullSync,
  error,
}: {
  account: string;
  provider: string;
  onProvider: (id: string) => void;
  importRecords: boolean;
  onImport: (on: boolean) => void;
  fullSync: boolean;
  onFullSync: (on: boolean) => void;
  error?: string;
}) {
  const providers = useProviders(account || undefined);
  const items = providers.items;
  const hint = !account
    ? "Choose the account first: a zone at a provider belongs to the provider's account."
    : providers.query.isSuccess && items.length === 0
      ? "This account has no DNS provider yet."
      : "The Cloudflare token that holds the zone; the zone must be one it reaches.";
  return (
    <>
      <Field label="DNS provider" hint={hint} error={error}>
        <Select value={provider} disabled={!account} onChange={(e) => onProvider(e.target.value)}>
          <option value="">Choose a provider</option>
          {items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.zones.join(", ") || "no zones"})
            </option>
          ))}
        </Select>
      </Field>
      {account && providers.query.isSuccess && items.length === 0 ? (
        <p className="text-sm">
          <Link to="/dns/providers" search={{ account }} className="underline">
            Add a DNS provider
          </Link>
        </p>
      ) : null}
      <Checkbox
        label="Start from the records the provider holds"
        checked={importRecords}
        onChange={onImport}
      />
      <Checkbox
        label="Delete records Steward did not write"
        hint="Left off, records made elsewhere at the provider are kept as they are."
        checked={fullSync}
        onChange={onFullSync}
      />
    </>
  );
}
