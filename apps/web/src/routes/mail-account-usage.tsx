// An account's mail together (GET /api/v1/accounts/{id}/mail-usage, docs/mail.md#usage): what
// its mailboxes hold now, how many, and a bar per UTC day over 30 days (the sums of each
// mailbox's last sample of the day), in the console's size chart like the account's databases
// (database-account-sizes.tsx). On the account's page and above the mail domains filtered to
// the account; nothing for those who may not read the account.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { SizeChart } from "../components/size-chart.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatBytes, formatRelative } from "../lib/format.ts";
import { useAccountName } from "./tasks-parts.tsx";

export function AccountMailUsageCard({ accountId, link }: { accountId: string; link?: boolean }) {
  const accountName = useAccountName();
  const usage = useQuery({
    queryKey: ["mail-usage", "account", accountId],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/accounts/{id}/mail-usage", {
          params: { path: { id: accountId } },
        }),
      ),
    retry: false,
  });
  if (!usage.data) return null;
  const { mailboxes, bytes, messages, sampledAt, days } = usage.data;
  const name = accountName(accountId);
  const last = days.at(-1);
  return (
    <Card
      title={`Mail of ${name}: ${formatBytes(bytes)} in ${mailboxes} mailbox${mailboxes === 1 ? "" : "es"}`}
      actions={
        link ? (
          <Link
            to="/mail"
            search={{ account: accountId }}
            className="text-sm text-primary hover:underline"
          >
            Open the mail domains
          </Link>
        ) : undefined
      }
    >
      <div className="grid gap-2">
        <p className="text-sm text-fg-muted">
          {sampledAt
            ? `Sampled ${formatRelative(sampledAt)}; ${messages} messages together.`
            : "Not sampled yet."}{" "}
          Each day is the sum of the last sample that day of each of {name}'s mailboxes
          {last ? ` (${last.mailboxes} on ${last.day})` : ""}.
        </p>
        <SizeChart
          points={days.map((d) => ({
            at: `${d.day}T00:00:00.000Z`,
            sizeBytes: d.bytes,
            note: `${d.messages} messages in ${d.mailboxes} mailbox${d.mailboxes === 1 ? "" : "es"}`,
          }))}
          label={`Mail of ${name} per day`}
          days
          empty="No usage yet: the task mail.usage samples every mailbox every 15 minutes."
        />
      </div>
    </Card>
  );
}
