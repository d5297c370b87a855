// An account's databases together (GET /api/v1/accounts/{id}/database-sizes): their sum now,
// how many, and a chart of the sum per day over 30 days. On the account's page and above the
// databases list filtered to the account; nothing for those who may not read the account.
import { Link } from "@tanstack/react-router";
import { SizeChart } from "../components/size-chart.tsx";
import { Card } from "../components/ui/card.tsx";
import { formatBytes, formatRelative } from "../lib/format.ts";
import { dayPoints, useAccountSizes } from "./databases-parts.tsx";
import { useAccountName } from "./tasks-parts.tsx";

export function AccountSizesCard({ accountId, link }: { accountId: string; link?: boolean }) {
  const accountName = useAccountName();
  const sizes = useAccountSizes(accountId);
  if (!sizes.data) return null;
  const { databases, sizeBytes, sizedAt } = sizes.data;
  const name = accountName(accountId);
  return (
    <Card
      title={`Databases of ${name}: ${formatBytes(sizeBytes)} in ${databases}`}
      actions={
        link ? (
          <Link
            to="/databases"
            search={{ account: accountId }}
            className="text-sm text-primary hover:underline"
          >
            Open the list
          </Link>
        ) : undefined
      }
    >
      <div className="grid gap-2">
        <p className="text-sm text-fg-muted">
          {sizedAt ? `Measured ${formatRelative(sizedAt)}.` : "Not measured yet."} Each day is the
          sum of the last size that day of each of {name}'s databases.
        </p>
        <SizeChart points={dayPoints(sizes.data)} label={`Databases of ${name} per day`} days />
      </div>
    </Card>
  );
}
