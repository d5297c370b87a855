// The dashboard's backups at a glance: how many runs failed or were partial in the last 24
// hours (the newest of them, each linking to its run), what the plans shown keep together, and
// each plan's last result and last success.
import { Link } from "@tanstack/react-router";
import { FeedList } from "../components/feed-list.tsx";
import { Card } from "../components/ui/card.tsx";
import { formatBytes, formatCount } from "../lib/format.ts";
import { BackupLink, LastResult, nameIn, RunStatusBadge } from "./backup-parts.tsx";
import type { Dashboard } from "./dashboard.tsx";
import { When } from "./hosting-parts.tsx";

export function BackupsAtAGlance({
  backups,
  countLimit,
}: {
  backups: Dashboard["backups"];
  countLimit: number;
}) {
  const { plans, failures, failedRuns, morePlans } = backups;
  const stored = plans.reduce((sum, p) => sum + p.activity.storedBytes, 0);
  const planName = nameIn(plans, "plan");
  return (
    <Card
      title="Backups"
      actions={
        <Link to="/backups" className="text-sm text-primary hover:underline">
          All backup plans
        </Link>
      }
    >
      {plans.length === 0 ? (
        <div className="grid gap-1 py-4 text-center text-sm">
          <p className="font-medium">No backup plans yet</p>
          <p className="text-fg-muted">
            Plans you may see show here with their last result.{" "}
            <Link to="/backups/new" className="text-primary underline">
              Quick setup
            </Link>{" "}
            makes one.
          </p>
        </div>
      ) : (
        <div className="grid gap-4">
          <ul className="grid grid-cols-2 gap-3">
            <li
              className={
                failures > 0
                  ? "rounded-lg border border-danger/60 bg-danger/10 p-3"
                  : "rounded-lg border border-border p-3"
              }
            >
              <span className="block text-2xl font-semibold tabular-nums">
                {formatCount(failures, countLimit)}
              </span>
              <span className="block text-sm text-fg-muted">failed or partial in 24 h</span>
            </li>
            <li className="rounded-lg border border-border p-3">
              <span className="block text-2xl font-semibold tabular-nums">
                {formatBytes(stored)}
              </span>
              <span className="block text-sm text-fg-muted">
                stored by {morePlans ? `these ${plans.length} plans` : "every plan"}
              </span>
            </li>
          </ul>
          {failedRuns.length > 0 ? (
            <FeedList
              label="Failed backup runs"
              items={failedRuns}
              head={(r) => (
                <>
                  <BackupLink to="/backups/runs/$id" id={r.id}>
                    {planName(r.planId)}: {r.description}
                  </BackupLink>
                  <RunStatusBadge status={r.status} />
                  <When iso={r.finishedAt ?? r.createdAt} className="text-xs text-fg-muted" />
                </>
              )}
              body={(r) =>
                r.error ? (
                  <p className="line-clamp-2 text-sm wrap-anywhere text-fg-muted">{r.error}</p>
                ) : null
              }
            />
          ) : null}
          <table className="w-full text-left text-sm" aria-label="Backup plans at a glance">
            <thead className="border-b border-border text-xs text-fg-muted uppercase">
              <tr>
                <th scope="col" className="py-1.5 pr-2 font-medium">
                  Plan
                </th>
                <th scope="col" className="py-1.5 pr-2 font-medium">
                  Last result
                </th>
                <th scope="col" className="py-1.5 text-right font-medium">
                  Stored
                </th>
              </tr>
            </thead>
            <tbody>
              {plans.map((p) => (
                <tr key={p.id} className="border-b border-border align-top last:border-0">
                  <td className="py-1.5 pr-2">
                    <BackupLink to="/backups/plans/$id" id={p.id}>
                      {p.name}
                    </BackupLink>
                  </td>
                  <td className="py-1.5 pr-2">
                    <LastResult plan={p} />
                  </td>
                  <td className="py-1.5 text-right tabular-nums">
                    {formatBytes(p.activity.storedBytes)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {morePlans ? (
            <p className="text-xs text-fg-muted">
              The first {plans.length} plans by name;{" "}
              <Link to="/backups" className="text-primary underline">
                every plan
              </Link>{" "}
              is on the Backups page.
            </p>
          ) : null}
        </div>
      )}
    </Card>
  );
}
