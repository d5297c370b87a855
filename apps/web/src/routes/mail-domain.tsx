// One mail domain: whether its node serves the latest change (a failure says why), its
// mailboxes (address, quota, mode, usage bar; editing, autoresponder, usage history and
// delete in mail-mailbox.tsx) with a form to add one, its aliases and forwards (the
// catch-all's source is @domain) with a form to add one, its DNS records and DKIM key
// (mail-dns.tsx) and their policy (mail-dns-policy.tsx), its spam filter (mail-spam.tsx) and
// virus scanning (mail-virus.tsx), and the task applying the latest change with its live log.
// Passwords go in and never come back.
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { Plus } from "lucide-react";
import { type ReactNode, useState } from "react";
import { TextField } from "../components/text-field.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { DetailPage } from "./access-parts.tsx";
import { CodeRow, NodeLink, Row, Rows } from "./hosting-parts.tsx";
import { MailDnsCard } from "./mail-dns.tsx";
import { MailDnsPolicyCard } from "./mail-dns-policy.tsx";
import { AliasRow, MailboxRow } from "./mail-mailbox.tsx";
import { certificateText, type MailDomain, MailStatusBadge, useMailDomain } from "./mail-parts.tsx";
import { MailSpamCard } from "./mail-spam.tsx";
import { MailVirusCard } from "./mail-virus.tsx";
import { LatestTask } from "./site-task.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/mail/$id");

export function MailDomainPage() {
  const { id } = route.useParams();
  const query = useMailDomain(id);
  const me = useMe();
  const accountName = useAccountName();
  return (
    <DetailPage
      query={query}
      back={{ to: "/mail", label: "Mail domains" }}
      header={(d) => ({
        title: d.name,
        description: (
          <span className="flex flex-wrap items-center gap-2">
            <MailStatusBadge status={d.status} />
            <span className="text-sm text-fg-muted">{accountName(d.accountId)}</span>
          </span>
        ),
      })}
    >
      {(d) => (
        <div className="grid min-w-0 gap-4">
          {d.status === "failed" && d.lastError ? (
            <Alert tone="error">
              <p className="font-medium">The node does not serve the latest change</p>
              <p className="mt-1 whitespace-pre-wrap wrap-anywhere">{d.lastError}</p>
            </Alert>
          ) : null}
          <div className="grid gap-4 lg:grid-cols-2">
            <MailboxesCard domain={d} canEdit={me.can.createSite} />
            <AliasesCard domain={d} canEdit={me.can.createSite} />
            <MailDnsCard domain={d} canEdit={me.can.createSite} />
            <MailDnsPolicyCard domain={d} canEdit={me.can.createSite} />
            <MailSpamCard domain={d} canEdit={me.can.createSite} />
            <MailVirusCard domain={d} canEdit={me.can.createSite} />
            <Card title="Domain">
              <Rows>
                <CodeRow label="Name" value={d.name} />
                <Row label="Node">
                  <NodeLink id={d.nodeId} />
                </Row>
                <Row label="Certificate">{certificateText(d)}</Row>
              </Rows>
            </Card>
            <Card title="Latest task">
              {d.taskId ? (
                <LatestTask taskId={d.taskId} shownError={d.lastError} />
              ) : (
                <p className="text-sm text-fg-muted">No task yet.</p>
              )}
            </Card>
          </div>
        </div>
      )}
    </DetailPage>
  );
}

function MailboxesCard({ domain, canEdit }: { domain: MailDomain; canEdit: boolean }) {
  const list = useQuery({
    queryKey: ["mailboxes", domain.id],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/mail/domains/{id}/mailboxes", {
          params: { path: { id: domain.id }, query: { limit: 100 } },
        }),
      ).items,
  });
  return (
    <ItemsCard
      title="Mailboxes"
      pending={list.isPending}
      empty="No mailbox yet."
      rows={(list.data ?? []).map((b) => <MailboxRow key={b.id} box={b} canEdit={canEdit} />)}
      add={canEdit ? <AddMailbox domain={domain} /> : null}
    />
  );
}

/** A card listing a domain's items (or saying there are none yet) above its form to add one. */
function ItemsCard(props: {
  title: string;
  pending: boolean;
  empty: string;
  rows: ReactNode[];
  add: ReactNode;
}) {
  return (
    <Card title={props.title}>
      <div className="grid gap-3">
        {props.pending ? (
          <p className="text-sm text-fg-muted">Loading…</p>
        ) : props.rows.length === 0 ? (
          <p className="text-sm text-fg-muted">{props.empty}</p>
        ) : (
          <ul className="grid gap-2">{props.rows}</ul>
        )}
        {props.add}
      </div>
    </Card>
  );
}

function AddMailbox({ domain }: { domain: MailDomain }) {
  const [localPart, setLocalPart] = useState("");
  const [password, setPassword] = useState("");
  const [quota, setQuota] = useState("");
  const add = useApiMutation(
    async (body: { localPart: string; password: string; quotaMb?: number }) =>
      unwrap(
        await api.POST("/api/v1/mail/domains/{id}/mailboxes", {
          params: { path: { id: domain.id } },
          body,
        }),
      ),
    {
      invalidate: [
        ["mailboxes", domain.id],
        ["mail-domain", domain.id],
      ],
      onSuccess: () => {
        setLocalPart("");
        setPassword("");
        setQuota("");
      },
    },
  );
  const shown = ["localPart", "password", "quotaMb"];
  return (
    <form
      className="grid gap-2 border-t border-border pt-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({
          localPart: localPart.trim(),
          password,
          ...(quota.trim() ? { quotaMb: Number(quota) } : {}),
        });
      }}
    >
      <TextField
        label="Mailbox"
        value={localPart}
        onValue={setLocalPart}
        placeholder="anna"
        hint={`The part before @${domain.name}.`}
        error={fieldError(add.error, "localPart")}
        maxLength={64}
        code
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        value={password}
        onValue={setPassword}
        hint="At least 10 characters; kept only as a hash."
        error={fieldError(add.error, "password")}
      />
      <TextField
        label="Quota (MiB)"
        value={quota}
        onValue={setQuota}
        inputMode="numeric"
        placeholder="no quota"
        error={fieldError(add.error, "quotaMb")}
      />
      <ErrorAlert error={unshownError(add.error, shown)} />
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" busy={add.isPending}>
          <Plus className="h-4 w-4" aria-hidden="true" /> Add mailbox
        </Button>
      </div>
    </form>
  );
}

function AliasesCard({ domain, canEdit }: { domain: MailDomain; canEdit: boolean }) {
  const list = useQuery({
    queryKey: ["mail-aliases", domain.id],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/mail/domains/{id}/aliases", {
          params: { path: { id: domain.id }, query: { limit: 100 } },
        }),
      ).items,
  });
  return (
    <ItemsCard
      title="Aliases and forwards"
      pending={list.isPending}
      empty="No alias yet."
      rows={(list.data ?? []).map((a) => <AliasRow key={a.id} alias={a} canEdit={canEdit} />)}
      add={canEdit ? <AddAlias domain={domain} /> : null}
    />
  );
}

function AddAlias({ domain }: { domain: MailDomain }) {
  const [localPart, setLocalPart] = useState("");
  const [catchAll, setCatchAll] = useState(false);
  const [to, setTo] = useState("");
  const add = useApiMutation(
    async (body: { localPart?: string; catchAll: boolean; destinations: string[] }) =>
      unwrap(
        await api.POST("/api/v1/mail/domains/{id}/aliases", {
          params: { path: { id: domain.id } },
          body,
        }),
      ),
    {
      invalidate: [
        ["mail-aliases", domain.id],
        ["mail-domain", domain.id],
      ],
      onSuccess: () => {
        setLocalPart("");
        setTo("");
        setCatchAll(false);
      },
    },
  );
  const destinations = to
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return (
    <form
      className="grid gap-2 border-t border-border pt-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({
          ...(catchAll ? {} : { localPart: localPart.trim() }),
          catchAll,
          destinations,
        });
      }}
    >
      <Checkbox
        label="Catch-all: every address of the domain without a mailbox or alias"
        checked={catchAll}
        onChange={setCatchAll}
      />
      {catchAll ? null : (
        <TextField
          label="Alias"
          value={localPart}
          onValue={setLocalPart}
          placeholder="info"
          hint={`The part before @${domain.name}.`}
          error={fieldError(add.error, "localPart")}
          maxLength={64}
          code
        />
      )}
      <TextField
        label="Delivered to"
        value={to}
        onValue={setTo}
        placeholder="anna@example.com, someone@example.net"
        hint="Addresses here or elsewhere (a forward), separated by commas."
        error={fieldError(add.error, "destinations") ?? fieldError(add.error, "destinations.0")}
      />
      <ErrorAlert
        error={unshownError(add.error, ["localPart", "destinations", "destinations.0"])}
      />
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" busy={add.isPending}>
          <Plus className="h-4 w-4" aria-hidden="true" /> Add alias
        </Button>
      </div>
    </form>
  );
}
