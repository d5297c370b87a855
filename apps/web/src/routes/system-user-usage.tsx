// Disk usage on the system users page (docs/hosting.md#disk-usage): what each user's home held
// at the hourly measurement, and the account's total (its main users' homes, which hold the
// secondary users' homes). Reported only: nothing is enforced without filesystem quotas.
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

export function UsageCell({ usage }: { usage: Figures | null | undefined }) {
  if (!usage) return <Note>not measured yet</Note>;
  return (
    <span className="grid gap-0.5">
      <span className="whitespace-nowrap">{formatBytes(usage.bytes)}</span>
      <Note>{`${files(usage)} · ${formatRelative(usage.measuredAt)}`}</Note>
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
      Reported only: nothing is enforced without filesystem quotas.
    </p>
  );
}
