// The template catalog in the GitHub App's settings (docs/github.md), super users': an
// account's template repositories, "Add a template" and "Edit" (owner/repo and description; a
// repository enters only once GitHub confirms the App reaches it and it is a template, its
// refusal at the field), "Delete" asking first. Accounts generate from it on "GitHub templates".
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ApiForm } from "../components/api-form.tsx";
import { EditDeleteActions } from "../components/confirm-button.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { TextField } from "../components/text-field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { type Template, templateColumns } from "./github-template-columns.tsx";
import { AccountSelect, useAccounts } from "./tasks-parts.tsx";

function TemplateForm({
  account,
  template,
  done,
}: {
  account: string;
  template: Template | null;
  done: () => void;
}) {
  const [owner, setOwner] = useState(template?.owner ?? "");
  const [repo, setRepo] = useState(template?.repo ?? "");
  const [description, setDescription] = useState(template?.description ?? "");
  const save = useApiMutation(
    async () =>
      template
        ? unwrap(
            await api.PATCH("/api/v1/templates/{id}", {
              params: { path: { id: template.id } },
              body: {
                ...(owner !== template.owner ? { owner } : {}),
                ...(repo !== template.repo ? { repo } : {}),
                description,
              },
            }),
          )
        : unwrap(
            await api.POST("/api/v1/templates", {
              body: { account, owner, repo, ...(description ? { description } : {}) },
            }),
          ),
    { invalidate: [["github-templates"]], onSuccess: done },
  );
  return (
    <ApiForm
      mutation={save}
      shown={["owner", "repo", "description"]}
      submitLabel={template ? "Save" : "Add"}
      onCancel={done}
    >
      <TextField
        label="Owner"
        hint="The GitHub user or organization the template repository belongs to."
        field="owner"
        value={owner}
        onValue={setOwner}
        code
        maxLength={39}
      />
      <TextField
        label="Repository"
        hint="Marked as a template at GitHub (its Settings → Template repository), and reached by the App's installation."
        field="repo"
        value={repo}
        onValue={setRepo}
        code
        maxLength={100}
      />
      <TextField
        label="Description"
        hint="What the account's people see when they pick it."
        field="description"
        value={description}
        onValue={setDescription}
        maxLength={300}
      />
    </ApiForm>
  );
}

export function TemplateCatalog() {
  const accounts = useAccounts();
  const [chosen, setChosen] = useState("");
  const account = chosen || accounts.data?.[0]?.id || "";
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Template | null>(null);
  const templates = usePaged(["github-templates", account], async () => ({
    items: account
      ? (unwrap(await api.GET("/api/v1/templates", { params: { query: { account } } }))
          .items as Template[])
      : [],
    nextCursor: null,
  }));
  const columns = templateColumns((t) => (
    <TemplateActions template={t} onEdit={() => setEditing(t)} />
  ));
  return (
    <ListCard
      title="Template catalog"
      intro="The template repositories an account's admins may generate repositories from (on GitHub templates)."
      actions={
        <>
          <AccountSelect value={account} onChange={setChosen} />
          {account ? (
            <AddButton label="Add a template" can="manageUsers" onClick={() => setAdding(true)} />
          ) : null}
        </>
      }
      label="Template catalog"
      columns={columns}
      paged={templates}
      rowKey={(t) => t.id}
      empty={
        <EmptyState title="No templates for this account.">
          Add one: a repository of an owner the App is installed on, marked as a template at GitHub.
        </EmptyState>
      }
    >
      <FormDialog
        open={adding || editing !== null}
        onOpenChange={() => {
          setAdding(false);
          setEditing(null);
        }}
        title={editing ? `Edit ${editing.owner}/${editing.repo}` : "Add a template"}
        description="GitHub is asked first: the App's installation must reach the repository, and it must be marked as a template."
      >
        {(done) => <TemplateForm account={account} template={editing} done={done} />}
      </FormDialog>
    </ListCard>
  );
}

function TemplateActions({ template, onEdit }: { template: Template; onEdit: () => void }) {
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/templates/{id}", { params: { path: { id: template.id } } })),
    { invalidate: [["github-templates"]] },
  );
  return (
    <EditDeleteActions
      noun="template"
      name={`${template.owner}/${template.repo}`}
      consequence="The account can no longer generate from it. The repository at GitHub and those generated from it stay."
      remove={remove}
      onEdit={onEdit}
    />
  );
}
