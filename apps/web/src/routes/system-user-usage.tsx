// Disk usage on the system users page (docs/hosting.md#disk-usage): what each user's home held
// at the hourly measurement against its quota (used / limit), and the account's total (its main
// users' homes, which hold the secondary users' homes). A quota is enforced only where the
// node's filesystem has user quotas; elsewhere the cell says it is measured only.
import { QUOTA_NOT_ENFORCED } from "@steward/contracts/hosting";
import { useQuery } from "@tanstack/react-query";
import { Note } from "../components/record-link.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { formatBytes, formatRelative } from "../lib/format.ts";

type DiskUsage = Schema<"/api/v1/accounts/{id}/disk-usage", "get">;
type Figures = NonNullable<DiskUsage["users"][number]["usage"]>;

export function useDiskUsage(account: string | undefined) {
  return useQuery({
    queryKey: ["system-users", "disk-usage", account],
    enabled: Boolean(account),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/accounts/{id}/disk-usage", {
          params: { path: { id: account ?? "" } },
        }),
      ),
  });
}

const files = (u: { files: number; truncated: boolean }) =>
  `${u.truncated ? "at least " : ""}${u.files.toLocaleString()} file${u.files === 1 ? "" : "s"}`;

const MiB = 1024 * 1024;

/** What a quota is: its limit, and whether the node enforces it (null: not answered yet). */
function quotaNote(quota: Quota) {
  if (quota.quotaMb === null) return "no quota";
  if (quota.quotaEnforced === false) return `quota not enforced (${QUOTA_NOT_ENFORCED})`;
  return quota.quotaEnforced ? "quota enforced by the node" : "quota being applied on the node";
}

export interface Quota {
  quotaMb: number | null;
  quotaEnforced: boolean | null;
}

export function UsageCell({ usage, quota }: { usage: Figures | null | undefined; quota: Quota }) {
  const limit = quota.quotaMb === null ? "" : ` / ${formatBytes(quota.quotaMb * MiB)}`;
  return (
    <span className="grid max-w-64 gap-0.5">
      <span className="whitespace-nowrap">
        {usage ? formatBytes(usage.bytes) : "not measured yet"}
        {limit}
      </span>
      {usage ? <Note>{`${files(usage)} · ${formatRelative(usage.measuredAt)}`}</Note> : null}
      <Note>{quotaNote(quota)}</Note>
    </span>
  );
}

export function UsageTotal({ usage }: { usage: DiskUsage | undefined }) {
  if (!usage) return null;
  return (
    <p className="text-sm text-fg-muted">
      {usage.measuredAt
        ? `The account's homes hold ${formatBytes(usage.bytes)} in ${files(usage)} (measured hourly, ${formatRelative(usage.measuredAt)}). `
        : "The account's homes are measured hourly; not yet. "}
      A user's quota is enforced where the node's filesystem has user quotas; elsewhere its usage is
      measured only.
    </p>
  );
}
