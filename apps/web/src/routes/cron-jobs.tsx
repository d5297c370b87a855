// Cron jobs of an account (docs/hosting.md#cron-jobs): each with its schedule in words, the
// system user it runs as, the node file's state, its last run (now or scheduled: exit status,
// output) and its heartbeat monitor. The
// account's admins create jobs, run them now (the output shown live, from the task's log),
// enable or disable and delete them (after typing the id).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { cronWords } from "../lib/cron-words.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { toast } from "../lib/toast.ts";
import { CronJobForm } from "./cron-job-form.tsx";
import { type CronJob, HeartbeatLink, LastRun } from "./cron-job-parts.tsx";
import { NodeLink } from "./hosting-parts.tsx";
import { LatestTask } from "./site-task.tsx";
import { useAccounts } from "./tasks-parts.tsx";

const TONES: Record<string, BadgeTone> = {
  applied: "ok",
  pending: "info",
  deleting: "info",
  failed: "danger",
};

function useCronJobs(account: string | undefined) {
  return useQuery({
    queryKey: ["cron-jobs", account],
    enabled: Boolean(account),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/cron-jobs", {
          params: { query: { account: account ?? "", limit: 100 } },
        }),
      ).items,
    refetchInterval: (q) =>
      q.state.data?.some(
        (j) => j.status === "pending" || j.status === "deleting" || j.lastRun?.state === "running",
      )
        ? 2_000
        : false,
  });
}

function useUsers(account: string | undefined) {
  return useQuery({
    queryKey: ["system-users", account],
    enabled: Boolean(account),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/system-users", { params: { query: { account: account ?? "" } } }),
      ).items,
  });
}

function Actions({ job }: { job: CronJob }) {
  const [output, setOutput] = useState<string | null>(null);
  const run = useApiMutation(
    async () =>
      unwrap(await api.POST("/api/v1/cron-jobs/{id}/run", { params: { path: { id: job.id } } })),
    { invalidate: [["cron-jobs"]], onSuccess: (r) => setOutput(r.taskId) },
  );
  const toggle = useApiMutation(
    async () =>
      unwrap(
        await api.PATCH("/api/v1/cron-jobs/{id}", {
          params: { path: { id: job.id } },
          body: { enabled: !job.enabled },
        }),
      ),
    { invalidate: [["cron-jobs"]] },
  );
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/cron-jobs/{id}", {
          params: { path: { id: job.id }, query: { confirm: job.id } },
        }),
      ),
    { invalidate: [["cron-jobs"]], onSuccess: () => toast("the job is being removed") },
  );
  const busy = job.status === "deleting";
  return (
    <ActionsWithError error={run.error ?? toggle.error ?? remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <Button size="sm" onClick={() => run.mutate()} disabled={busy || run.isPending}>
          Run now
        </Button>
        <Button size="sm" variant="secondary" onClick={() => toggle.mutate()} disabled={busy}>
          {job.enabled ? "Disable" : "Enable"}
        </Button>
        <ConfirmButton
          size="sm"
          variant="danger"
          mutation={remove}
          disabled={busy}
          confirm={{
            title: "Delete this cron job?",
            description: `Its line leaves the node's cron file: ${job.command}`,
            confirmLabel: "Delete job",
            typeToConfirm: job.id,
          }}
        >
          Delete
        </ConfirmButton>
      </div>
      <FormDialog
        open={output !== null}
        onOpenChange={(open) => !open && setOutput(null)}
        title={`Run now as ${job.user}`}
      >
        {() => (output ? <LatestTask taskId={output} /> : null)}
      </FormDialog>
    </ActionsWithError>
  );
}

export function CronJobsPage() {
  const me = useMe();
  const accounts = useAccounts();
  const [account, setAccount] = useState<string>();
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    if (!account && accounts.data?.[0]) setAccount(accounts.data[0].id);
  }, [account, accounts.data]);
  const jobs = useCronJobs(account);
  const users = useUsers(account);
  const canCreate = me.can.createSite && (users.data?.length ?? 0) > 0;
  return (
    <>
      <PageHeader
        title="Cron jobs"
        description="Commands an account runs on a schedule, each as one of its system users (never root), written to the node's /etc/cron.d/steward-<account>."
        actions={
          canCreate ? <Button onClick={() => setCreating(true)}>New cron job</Button> : undefined
        }
      />
      <FormDialog open={creating} onOpenChange={setCreating} title="New cron job">
        {(done) =>
          account ? <CronJobForm account={account} users={users.data ?? []} done={done} /> : null
        }
      </FormDialog>
      <div className="grid gap-4">
        <Field label="Account" className="max-w-xs">
          <Select value={account ?? ""} onChange={(e) => setAccount(e.target.value)}>
            {(accounts.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </Field>
        <Card>
          {jobs.data && jobs.data.length === 0 ? (
            <EmptyState title="No cron jobs in this account.">
              {users.data?.length
                ? "Add one with “New cron job”."
                : "A job runs as a system user: create the account's main user first (System users)."}
            </EmptyState>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-fg-muted">
                <tr>
                  <th className="py-2 pr-3 font-medium">Schedule</th>
                  <th className="py-2 pr-3 font-medium">Command</th>
                  <th className="py-2 pr-3 font-medium">State</th>
                  <th className="py-2 pr-3 font-medium">Last run</th>
                  <th className="py-2 pr-3 font-medium">Node</th>
                  <th className="py-2 text-right font-medium">Actions</th>
                </tr>
              </thead>
              <tbody>
                {(jobs.data ?? []).map((j) => (
                  <tr key={j.id} className="border-t border-border align-top">
                    <td className="py-2 pr-3">
                      <span className="grid gap-0.5">
                        <span>{cronWords(j.schedule) ?? j.schedule}</span>
                        <Note>{j.schedule}</Note>
                      </span>
                    </td>
                    <td className="py-2 pr-3">
                      <span className="grid gap-0.5">
                        <span className="font-mono text-xs break-all">{j.command}</span>
                        <Note>as {j.user}</Note>
                        <HeartbeatLink job={j} />
                      </span>
                    </td>
                    <td className="py-2 pr-3">
                      <span className="grid justify-items-start gap-1">
                        <Badge tone={j.enabled ? (TONES[j.status] ?? "neutral") : "neutral"}>
                          {j.enabled ? j.status : "disabled"}
                        </Badge>
                        {j.lastError ? <Note>{j.lastError}</Note> : null}
                      </span>
                    </td>
                    <td className="py-2 pr-3">
                      <LastRun job={j} />
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap">
                      <NodeLink id={j.nodeId} />
                    </td>
                    <td className="py-2">{me.can.createSite ? <Actions job={j} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
