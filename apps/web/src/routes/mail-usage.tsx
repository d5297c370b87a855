// What a mailbox holds (docs/mail.md#usage): a bar of its quota at the last sampling, and a
// dialog with its hourly history of the last 30 days in the console's size chart
// (components/size-chart.tsx, the monitors' kind of hand-drawn SVG).
import { useQuery } from "@tanstack/react-query";
import { SizeChart } from "../components/size-chart.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { formatBytes, formatDateTime } from "../lib/format.ts";

export type Mailbox = Item<"/api/v1/mail/domains/{id}/mailboxes">;
export type MailAlias = Item<"/api/v1/mail/domains/{id}/aliases">;

/** What the mailbox held at the last sampling, as a bar of its quota (or a line without one). */
export function UsageBar({ box }: { box: Mailbox }) {
  const u = box.usage;
  if (!u) return <span className="text-xs text-fg-muted">usage not sampled yet</span>;
  const text = u.limitBytes
    ? `${formatBytes(u.bytes)} of ${formatBytes(u.limitBytes)} (${u.percent}%)`
    : `${formatBytes(u.bytes)}, no quota`;
  const percent = Math.min(100, u.percent ?? 0);
  const tone = percent >= 90 ? "bg-danger" : percent >= 75 ? "bg-warn" : "bg-primary";
  return (
    <div className="grid gap-1" title={`sampled ${formatDateTime(u.at)}`}>
      {u.limitBytes ? (
        <div
          role="progressbar"
          aria-label={`${box.address} usage`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={text}
          className="h-2 w-full overflow-hidden rounded-full bg-muted"
        >
          <div className={`h-full ${tone}`} style={{ width: `${percent}%` }} />
        </div>
      ) : null}
      <span className="text-xs text-fg-muted">
        {text} · {u.messages} messages
      </span>
    </div>
  );
}

export function UsageDialog({ box }: { box: Mailbox }) {
  const usage = useQuery({
    queryKey: ["mailbox-usage", box.id],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/mail/mailboxes/{id}/usage", {
          params: { path: { id: box.id } },
        }),
      ),
  });
  const points = (usage.data?.history ?? []).map((p) => ({ at: p.at, sizeBytes: p.bytes }));
  return (
    <div className="grid gap-3">
      <UsageBar box={box} />
      {usage.isPending ? (
        <p className="text-sm text-fg-muted">Loading…</p>
      ) : (
        <SizeChart
          points={points}
          label={`${box.address} over the last 30 days`}
          empty="No usage yet: the task mail.usage samples every mailbox every 15 minutes."
        />
      )}
      <ErrorAlert error={usage.error} />
    </div>
  );
}
