// GitHub templates (docs/github.md): an account's catalog of template repositories, "Generate"
// on each (a dialog: name, owner, visibility, all branches), and the repositories generated,
// each with its task's progress while GitHub makes it, then its clone URL or GitHub's words.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListCard, ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { TextField } from "../components/text-field.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { type Template, templateColumns } from "./github-template-columns.tsx";
import { AccountSelect, ProgressBar, type Task, useAccounts } from "./tasks-parts.tsx";

type Repository = {
  id: string;
  owner: string;
  name: string;
  status: "generating" | "ready" | "failed";
  cloneUrl: string | null;
  error: string | null;
  taskId: string | null;
};

const whole = <T,>(items: T[]) => ({ items, nextCursor: null });

function GenerateDialog({ template, onClose }: { template: Template | null; onClose: () => void }) {
  const [name, setName] = useState("");
  const [owner, setOwner] = useState("");
  const [isPrivate, setPrivate] = useState(true);
  const [allBranches, setAllBranches] = useState(false);
  const generate = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/templates/{id}/generate", {
          params: { path: { id: template?.id ?? "" } },
          body: {
            name,
            ...(owner ? { owner } : {}),
            private: isPrivate,
            includeAllBranches: allBranches,
          },
        }),
      ),
    { invalidate: [["github-repositories"]], onSuccess: onClose },
  );
  return (
    <Dialog
      open={template !== null}
      onOpenChange={resetOnClose(generate, (open) => !open && onClose())}
      title={`Generate from ${template?.owner}/${template?.repo}`}
      description="GitHub makes the repository from the template; Steward waits until it is filled and keeps its clone URL."
    >
      <ApiForm
        mutation={generate}
        shown={["name", "owner"]}
        submitLabel="Generate"
        onCancel={onClose}
      >
        <TextField
          label="Repository name"
          field="name"
          value={name}
          onValue={setName}
          code
          maxLength={100}
        />
        <TextField
          label="Owner"
          hint="The GitHub user or organization that gets it; empty: the App's default owner."
          field="owner"
          value={owner}
          onValue={setOwner}
          code
          maxLength={39}
        />
        <Checkbox label="Private repository" checked={isPrivate} onChange={setPrivate} />
        <Checkbox
          label="Copy every branch"
          hint="Otherwise only the template's default branch."
          checked={allBranches}
          onChange={setAllBranches}
        />
      </ApiForm>
    </Dialog>
  );
}

/** A generating repository's task: its progress bar and what it is doing. */
function GenerationProgress({ taskId }: { taskId: string }) {
  const task = useQuery({
    queryKey: ["task", taskId],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/tasks/{id}", { params: { path: { id: taskId } } })) as Task,
    refetchInterval: 1_000,
  });
  return (
    <span className="grid gap-1">
      <ProgressBar value={task.data?.progress ?? null} label="Generation progress" />
      <span className="text-xs text-fg-muted">{task.data?.progressMessage ?? "queued"}</span>
    </span>
  );
}

const repositoryColumns: Column<Repository>[] = [
  {
    header: "Repository",
    cell: (r) => <span className="font-mono">{`${r.owner}/${r.name}`}</span>,
  },
  {
    header: "State",
    cell: (r) => (
      <Badge tone={r.status === "ready" ? "ok" : r.status === "failed" ? "danger" : "info"}>
        {r.status}
      </Badge>
    ),
  },
  {
    header: "Clone URL or error",
    cell: (r) =>
      r.status === "generating" && r.taskId ? (
        <GenerationProgress taskId={r.taskId} />
      ) : r.status === "ready" ? (
        <span className="font-mono text-xs break-all">{r.cloneUrl}</span>
      ) : (
        <span className="text-xs text-danger wrap-anywhere">{r.error}</span>
      ),
  },
];

export function GithubTemplatesPage() {
  const accounts = useAccounts();
  const [chosen, setChosen] = useState("");
  const account = chosen || accounts.data?.[0]?.id || "";
  const [generating, setGenerating] = useState<Template | null>(null);
  const templates = usePaged(["github-templates", account], async () =>
    account
      ? whole(unwrap(await api.GET("/api/v1/templates", { params: { query: { account } } })).items)
      : whole<Template>([]),
  );
  const repositories = usePaged(
    ["github-repositories", account],
    async () =>
      account
        ? whole(
            unwrap(await api.GET("/api/v1/github/repositories", { params: { query: { account } } }))
              .items as Repository[],
          )
        : whole<Repository>([]),
    {
      refetchInterval: (q) =>
        q.state.data?.items.some((r) => r.status === "generating") ? 1_000 : 15_000,
    },
  );
  const columns = templateColumns((t) => (
    <Button variant="secondary" onClick={() => setGenerating(t)}>
      Generate
    </Button>
  ));
  return (
    <>
      <ListPage
        title="GitHub templates"
        description="Template repositories this account may generate new repositories from, through the installation's GitHub App."
        filters={{
          controls: <AccountSelect value={account} onChange={setChosen} />,
          active: false,
          clear: () => setChosen(""),
        }}
        label="Templates"
        columns={columns}
        paged={templates}
        rowKey={(t) => t.id}
        empty={
          <EmptyState title="No templates for this account.">
            A super user adds them in the GitHub App's settings (Template catalog), or with steward
            github template add OWNER/REPO --account ….
          </EmptyState>
        }
      />
      <div className="mt-6" />
      <ListCard
        title="Generated repositories"
        label="Generated repositories"
        columns={repositoryColumns}
        paged={repositories}
        rowKey={(r) => r.id}
        empty={<EmptyState title="Nothing generated yet." />}
      />
      <GenerateDialog template={generating} onClose={() => setGenerating(null)} />
    </>
  );
}
