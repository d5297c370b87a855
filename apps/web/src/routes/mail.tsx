// Mail domains (one ListPage): each domain a node's Postfix and Dovecot serve, its account,
// whether the node serves its latest change (a failure says why), and how many mailboxes and
// aliases it has. "New domain" asks for the name (an IDN becomes punycode), node and account.
// Filtered to an account, the account's mail per day is shown beside the list.
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ApiForm } from "../components/api-form.tsx";
import type { Column } from "../components/data-table.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note, RecordLink } from "../components/record-link.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { NodeLink, shorten } from "./hosting-parts.tsx";
import { AccountMailUsageCard } from "./mail-account-usage.tsx";
import { type MailDomainListed, MailStatusBadge, mailBusy } from "./mail-parts.tsx";
import { AccountField, NodeField, useOnlyNode } from "./site-form-parts.tsx";
import { AccountSelect, useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/mail");
type DomainInput =
  paths["/api/v1/mail/domains"]["post"]["requestBody"]["content"]["application/json"];

function columns(accountName: (id: string | null) => string): Column<MailDomainListed>[] {
  return [
    {
      header: "Domain",
      cell: (d) => (
        <span className="grid gap-0.5">
          <RecordLink to="/mail/$id" id={d.id} className="font-mono break-all">
            {d.name}
          </RecordLink>
          <Note>{accountName(d.accountId)}</Note>
        </span>
      ),
    },
    {
      header: "State",
      cell: (d) => (
        <span className="grid justify-items-start gap-1">
          <MailStatusBadge status={d.status} />
          {d.status === "failed" && d.lastError ? (
            <span className="text-xs text-danger wrap-anywhere">{shorten(d.lastError, 80)}</span>
          ) : null}
        </span>
      ),
    },
    { header: "Node", wide: true, cell: (d) => <NodeLink id={d.nodeId} /> },
    { header: "Mailboxes", cell: (d) => d.mailboxes, className: "text-right" },
    { header: "Aliases", cell: (d) => d.aliases, className: "text-right", wide: true },
  ];
}

export function MailDomainsPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/mail", search);
  const accountName = useAccountName();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const query = { account: search.account || undefined };
  const paged = usePaged(
    ["mail-domains", query],
    async (cursor, limit) =>
      unwrap(
        await api.GET("/api/v1/mail/domains", { params: { query: { ...query, cursor, limit } } }),
      ),
    { refetchInterval: (q) => (q.state.data?.items.some(mailBusy) ? 2_000 : 15_000) },
  );
  return (
    <>
      <ListPage
        title="Mail domains"
        description="Domains whose mail a node's Postfix and Dovecot take: mailboxes with quotas, aliases and forwards. Every change is applied by a task and proven by an SMTP conversation."
        actions={
          <AddButton label="New domain" can="createSite" onClick={() => setCreating(true)} />
        }
        filters={{
          ...filters,
          controls: (
            <AccountSelect
              value={search.account ?? ""}
              onChange={(v) => filters.set({ account: v || undefined })}
            />
          ),
        }}
        aside={search.account ? <AccountMailUsageCard accountId={search.account} /> : undefined}
        label="Mail domains"
        columns={columns(accountName)}
        paged={paged}
        rowKey={(d) => d.id}
        empty={
          <EmptyState title="No mail domains yet.">
            Add one with “New domain”: its name and the node whose Postfix and Dovecot serve it.
          </EmptyState>
        }
      />
      <MailDomainDialog
        open={creating}
        onOpenChange={setCreating}
        onCreated={(id) => navigate({ to: "/mail/$id", params: { id } })}
      />
    </>
  );
}

function MailDomainDialog({
  open,
  onOpenChange,
  onCreated,
}: DialogProps & { onCreated: (id: string) => void }) {
  const save = useApiMutation(
    async (body: DomainInput) => unwrap(await api.POST("/api/v1/mail/domains", { body })),
    {
      invalidate: [["mail-domains"]],
      onSuccess: (domain) => {
        onOpenChange(false);
        onCreated(domain.id);
      },
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title="New mail domain"
      description="The domain is created at once; a task then makes its node's Postfix and Dovecot take its mail."
    >
      {(done) => <DomainForm mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function DomainForm({
  mutation,
  onCancel,
}: {
  mutation: Parameters<typeof ApiForm<DomainInput>>[0]["mutation"];
  onCancel: () => void;
}) {
  const onlyNode = useOnlyNode();
  const [name, setName] = useState("");
  const [node, setNode] = useState("");
  const [account, setAccount] = useState("");
  const err = mutation.error;
  return (
    <ApiForm
      mutation={mutation}
      input={{ name: name.trim(), node: node || onlyNode || "", account: account || undefined }}
      shown={["name", "node", "account"]}
      submitLabel="Create domain"
      onCancel={onCancel}
    >
      <TextField
        label="Domain"
        field="name"
        value={name}
        onValue={setName}
        placeholder="example.com"
        hint="An internationalised name (bücher.example) is kept as punycode."
        maxLength={253}
        code
      />
      <NodeField
        value={node || onlyNode || ""}
        onChange={setNode}
        error={fieldError(err, "node")}
        hint="The server whose Postfix and Dovecot take this domain's mail."
      />
      <AccountField
        value={account}
        onChange={setAccount}
        error={fieldError(err, "account")}
        hint="Who the domain belongs to. Left empty, it goes to the installation's default account."
      />
    </ApiForm>
  );
}
