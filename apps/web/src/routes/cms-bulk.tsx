// The bulk update of an account's sites (docs/cms.md#bulk-updates): a preview of what each
// site's upgrade task would apply and when (its window in its own time zone, two minutes apart
// across sites), asked again as the options change, then applied; and the account's update
// defaults.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { RecordLink } from "../components/record-link.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { cmsKeys } from "./cms-parts.tsx";
import { PolicyDialog, policyKeys, windowText } from "./cms-policy.tsx";

type Plan = Awaited<ReturnType<typeof plan>>;

async function plan(body: { account: string; all: boolean; now: boolean; preview: boolean }) {
  return unwrap(await api.POST("/api/v1/cms-sites/updates", { body }));
}

/** "Tue 05:00" in the site's zone: when the upgrade starts where its visitors are. */
const local = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));

export function BulkUpdateDialog({
  open,
  onOpenChange,
  account,
}: DialogProps & { account: string }) {
  const [all, setAll] = useState(false);
  const [now, setNow] = useState(false);
  const [applied, setApplied] = useState<Plan | null>(null);
  const preview = useQuery({
    queryKey: ["cms-bulk-preview", account, all, now],
    queryFn: () => plan({ account, all, now, preview: true }),
    enabled: open && !applied,
  });
  const apply = useApiMutation(() => plan({ account, all, now, preview: false }), {
    invalidate: [cmsKeys.list(account)],
    onSuccess: setApplied,
  });
  const close = (o: boolean) => {
    if (!o) {
      setApplied(null);
      apply.reset();
    }
    onOpenChange(o);
  };
  const shown = applied ?? preview.data;
  const runs = shown?.items.filter((i) => i.runAt && !i.note).length ?? 0;
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Bulk update"
      description="Each site's upgrade task: a restore point, the update, the home page checked, rolled back when it fails. Upgrades start two minutes apart."
      footer={
        applied ? (
          <Button onClick={() => close(false)}>Done</Button>
        ) : (
          <>
            <Button variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button
              busy={apply.isPending}
              disabled={runs === 0}
              onClick={() => apply.mutate(undefined)}
            >
              {runs === 1 ? "Update 1 site" : `Update ${runs} sites`}
            </Button>
          </>
        )
      }
    >
      <div className="grid gap-3 text-sm">
        {applied ? (
          <p>Pushed. Each site's task runs at the time shown.</p>
        ) : (
          <div className="flex flex-wrap gap-4">
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
              Every offered update (not only what the policies apply)
            </label>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={now} onChange={(e) => setNow(e.target.checked)} />
              Start now, not in each site's window
            </label>
          </div>
        )}
        <ErrorAlert error={preview.error ?? apply.error} />
        {shown ? (
          <PlanTable plan={shown} />
        ) : (
          <p className="text-fg-muted">Working out the plan…</p>
        )}
      </div>
    </Dialog>
  );
}

function PlanTable({ plan }: { plan: Plan }) {
  return (
    <table className="w-full">
      <caption className="sr-only">
        {plan.preview ? "What will run when" : "Upgrades pushed"}
      </caption>
      <thead className="text-left text-fg-muted">
        <tr>
          <th className="py-1 pr-3 font-medium">Site</th>
          <th className="py-1 pr-3 font-medium">Starts</th>
          <th className="py-1 pr-3 font-medium">Updates</th>
        </tr>
      </thead>
      <tbody>
        {plan.items.map((i) => (
          <tr key={i.siteId} className="border-t border-border align-top">
            <td className="min-w-28 py-1.5 pr-3 break-words">{i.siteName}</td>
            <td className="py-1.5 pr-3">
              {i.runAt ? (
                <span className="grid">
                  <span>
                    {local(i.runAt, i.timezone)}{" "}
                    <span className="text-fg-muted">({i.timezone})</span>
                  </span>
                  <span className="text-xs text-fg-muted">
                    {i.runAt.slice(0, 16).replace("T", " ")} UTC
                  </span>
                </span>
              ) : (
                "—"
              )}
            </td>
            <td className="py-1.5 pr-3">
              {i.note ? <span className="text-fg-muted">{i.note}</span> : null}
              <ul>
                {i.updates.map((u) => (
                  <li key={`${u.type}:${u.slug}`} className="break-all">
                    {u.type === "core" ? "WordPress" : u.slug} {u.from} → {u.to}
                  </li>
                ))}
              </ul>
              {i.taskId && !plan.preview ? (
                <RecordLink to="/tasks/$id" id={i.taskId} className="font-mono text-xs break-all">
                  {i.taskId}
                </RecordLink>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The account's update defaults: shown, and edited in the policy dialog. */
export function DefaultsButton({ account }: { account: string }) {
  const [open, setOpen] = useState(false);
  const query = useQuery({
    queryKey: policyKeys.account(account),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/update-policies", { params: { query: { account } } })).items,
    enabled: Boolean(account),
  });
  const current = query.data?.find((p) => p.siteId === null && p.type === null) ?? null;
  return (
    <>
      <Button
        variant="secondary"
        title={
          current ? `${current.level}, ${windowText(current.window)}` : "notify only, any time"
        }
        onClick={() => setOpen(true)}
      >
        Update defaults
      </Button>
      <PolicyDialog
        open={open}
        onOpenChange={setOpen}
        account={account}
        site={null}
        current={current}
      />
    </>
  );
}
