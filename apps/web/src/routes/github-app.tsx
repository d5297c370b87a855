// The GitHub App's settings (docs/github.md), super users': the App's id, its private key
// (write-only: sealed by the panel, shown as "set" with its fingerprint) and default owner;
// "Test connection" (GitHub's own words when it refuses); the App's installations, each owner
// with the installation id Steward resolves for it; and the template catalog
// (github-catalog.tsx).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { ConfirmButton } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { ListCard } from "../components/list-page.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { PemField } from "../components/pem-field.tsx";
import { TextField } from "../components/text-field.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldErrors } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { TemplateCatalog } from "./github-catalog.tsx";

type AppSettings = {
  configured: boolean;
  appId: number | null;
  keyFingerprint: string | null;
  defaultOwner: string | null;
  updatedAt: string | null;
};
type Installation = {
  id: number;
  owner: string;
  ownerType: string;
  repositorySelection: string;
  defaultOwner: boolean;
};

const appKey = ["github-app"];

function AppForm({ current, done }: { current: AppSettings; done: () => void }) {
  const [appId, setAppId] = useState(current.appId ? String(current.appId) : "");
  const [privateKey, setKey] = useState("");
  const [owner, setOwner] = useState(current.defaultOwner ?? "");
  const save = useApiMutation(
    async () =>
      unwrap(
        await api.PUT("/api/v1/github/app", {
          // digits go as a number; anything else as typed, for the API to say what is wrong
          body: {
            appId: (/^\d+$/.test(appId) ? Number(appId) : appId) as number,
            privateKey,
            defaultOwner: owner.trim() ? owner.trim() : null,
          },
        }),
      ),
    { invalidate: [appKey, ["github-installations"]], onSuccess: done },
  );
  return (
    <ApiForm
      mutation={save}
      shown={["appId", "privateKey", "defaultOwner"]}
      submitLabel="Save"
      onCancel={done}
    >
      <TextField
        label="App ID"
        hint="On the App's page at GitHub (Settings → Developer settings → GitHub Apps)."
        field="appId"
        value={appId}
        onValue={setAppId}
        inputMode="numeric"
        code
      />
      <PemField
        label="Private key"
        hint={
          current.configured
            ? "Write-only: paste the key again (the one set now is never shown)."
            : "The .pem GitHub downloads (RSA, 2048 bits or more). Sealed by the panel, never shown again."
        }
        error={fieldErrors(save.error, "privateKey")}
        value={privateKey}
        onValue={setKey}
        placeholder={"-----BEGIN RSA PRIVATE KEY-----\n…\n-----END RSA PRIVATE KEY-----"}
      />
      <TextField
        label="Default owner"
        hint="The user or organization repositories are generated for when a request names none."
        field="defaultOwner"
        value={owner}
        onValue={setOwner}
        code
        maxLength={39}
      />
    </ApiForm>
  );
}

function AppCard({ app }: { app: AppSettings }) {
  const [editing, setEditing] = useState(false);
  const test = useApiMutation(async () => unwrap(await api.POST("/api/v1/github/app/test")));
  const refusal = fieldErrors(test.error, "privateKey");
  const remove = useApiMutation(async () => unwrap(await api.DELETE("/api/v1/github/app")), {
    invalidate: [appKey, ["github-installations"]],
  });
  const edit = (
    <FormDialog
      open={editing}
      onOpenChange={setEditing}
      title={app.configured ? "Change the GitHub App" : "Set the GitHub App"}
      description="The panel signs the App's requests to GitHub with this key (RS256 JWTs), and with them asks GitHub for installation tokens."
    >
      {(done) => <AppForm current={app} done={done} />}
    </FormDialog>
  );
  if (!app.configured)
    return (
      <Card title="The App">
        <EmptyState title="No GitHub App is set.">
          Create one at GitHub (Settings → Developer settings → GitHub Apps) with Administration:
          write and Contents: read, install it on the owners repositories are generated for, then
          set its id and private key here.
        </EmptyState>
        <div className="mt-4 flex justify-center">
          <Button onClick={() => setEditing(true)}>Set the GitHub App</Button>
        </div>
        {edit}
      </Card>
    );
  return (
    <Card
      title="The App"
      actions={
        <>
          <Button variant="secondary" busy={test.isPending} onClick={() => test.mutate()}>
            Test connection
          </Button>
          <Button variant="secondary" onClick={() => setEditing(true)}>
            Change
          </Button>
          <ConfirmButton
            variant="danger"
            mutation={remove}
            confirm={{
              title: `Remove the GitHub App ${app.appId}?`,
              description:
                "Its id and sealed private key are forgotten: nothing can be generated until an App is set again. The catalog and the repositories generated stay.",
              confirmLabel: "Remove App",
            }}
          >
            Remove
          </ConfirmButton>
        </>
      }
    >
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
        <dt className="text-fg-muted">App ID</dt>
        <dd className="font-mono">{app.appId}</dd>
        <dt className="text-fg-muted">Private key</dt>
        <dd>
          <Badge tone="ok">set</Badge>{" "}
          <span className="font-mono text-xs break-all">{app.keyFingerprint}</span>
        </dd>
        <dt className="text-fg-muted">Default owner</dt>
        <dd className="font-mono">{app.defaultOwner ?? "—"}</dd>
        <dt className="text-fg-muted">Changed</dt>
        <dd>{formatDateTime(app.updatedAt)}</dd>
      </dl>
      <div className="mt-4 grid gap-2" aria-live="polite">
        {test.data ? (
          <Alert tone="ok">
            {`GitHub knows the App: ${test.data.name} (${test.data.slug}), owned by ${test.data.owner}.`}
          </Alert>
        ) : null}
        {/* GitHub's refusal of the App's JWT, in GitHub's words (not the field it is said at) */}
        {refusal ? <Alert tone="error">{refusal}</Alert> : <ErrorAlert error={test.error} />}
        <ErrorAlert error={remove.error} />
      </div>
      {edit}
    </Card>
  );
}

const installationColumns: Column<Installation>[] = [
  {
    header: "Owner",
    cell: (i) => (
      <span className="flex flex-wrap items-center gap-2">
        <span className="font-mono">{i.owner}</span>
        {i.defaultOwner ? <Badge tone="info">default owner</Badge> : null}
      </span>
    ),
  },
  { header: "Kind", cell: (i) => i.ownerType },
  { header: "Installation id", cell: (i) => <span className="font-mono">{i.id}</span> },
  {
    header: "Repositories",
    cell: (i) => (i.repositorySelection === "all" ? "all of the owner's" : "selected ones"),
  },
];

function Installations() {
  const installations = usePaged(["github-installations"], async () => ({
    items: unwrap(await api.GET("/api/v1/github/app/installations")).items as Installation[],
    nextCursor: null,
  }));
  return (
    <ListCard
      title="Installations"
      intro="Where GitHub has the App installed: an owner's repositories are generated with its installation (looked up by organization, then by user)."
      label="Installations"
      columns={installationColumns}
      paged={installations}
      rowKey={(i) => String(i.id)}
      empty={
        <EmptyState title="The App is not installed anywhere yet.">
          Install it from its page at GitHub (Install App) on each owner repositories are made for.
        </EmptyState>
      }
    />
  );
}

export function GithubAppPage() {
  const app = useQuery({
    queryKey: appKey,
    queryFn: async () => unwrap(await api.GET("/api/v1/github/app")) as AppSettings,
  });
  return (
    <>
      <PageHeader
        title="GitHub App"
        description="The installation's GitHub App, which generates repositories from templates, and the catalog of templates each account may use."
      />
      <ErrorAlert error={app.error} />
      {app.data ? (
        <div className="grid gap-6">
          <AppCard app={app.data} />
          {app.data.configured ? <Installations /> : null}
          <TemplateCatalog />
        </div>
      ) : null}
    </>
  );
}
