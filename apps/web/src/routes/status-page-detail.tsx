// One status page: its public link (a preview needs no session), the monitors it shows under
// their public names, and its incidents; edit it or delete it (after a confirmation).
import { getRouteApi } from "@tanstack/react-router";
import { Pencil, Trash2 } from "lucide-react";
import { useState } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { DetailPage, useDeleted } from "./access-parts.tsx";
import { CodeRow, Row, Rows, When } from "./hosting-parts.tsx";
import { StatusPageDialog } from "./status-page-form.tsx";
import { IncidentsCard } from "./status-page-incidents.tsx";
import { PublicLink, type StatusPage, useStatusPage } from "./status-pages-parts.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/status-pages/$id");

export function StatusPageDetailPage() {
  const { id } = route.useParams();
  const query = useStatusPage(id);
  return (
    <DetailPage
      query={query}
      back={{ to: "/status-pages", label: "Status pages" }}
      header={(page) => ({
        title: page.title,
        description: <PublicLink path={page.publicPath} label={`Preview ${page.publicPath}`} />,
        actions: <PageActions page={page} />,
      })}
    >
      {(page) => (
        <div className="grid gap-4 lg:grid-cols-2">
          <div className="grid content-start gap-4">
            <PageCard page={page} />
            <MonitorsCard page={page} />
          </div>
          <IncidentsCard pageId={page.id} />
        </div>
      )}
    </DetailPage>
  );
}

function PageCard({ page }: { page: StatusPage }) {
  const accountName = useAccountName();
  return (
    <Card title="Page">
      <Rows>
        <Row label="Account">{accountName(page.accountId)}</Row>
        <CodeRow label="Slug" value={page.slug} />
        <Row label="Description">
          <span className="whitespace-pre-wrap wrap-anywhere">
            {page.description || <span className="text-fg-muted">none</span>}
          </span>
        </Row>
        <Row label="Changed">
          <When iso={page.updatedAt} />
        </Row>
      </Rows>
    </Card>
  );
}

function MonitorsCard({ page }: { page: StatusPage }) {
  return (
    <Card title="Monitors shown">
      {page.monitors.length ? (
        <ul className="grid gap-1 text-sm">
          {page.monitors.map((m) => (
            <li key={m.monitorId} className="flex flex-wrap justify-between gap-2">
              <span className="font-medium wrap-anywhere">{m.name}</span>
              <RecordLink to="/monitors/$id" id={m.monitorId} className="font-normal">
                the monitor
              </RecordLink>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-fg-muted">None yet: edit the page to pick some.</p>
      )}
    </Card>
  );
}

function PageActions({ page }: { page: StatusPage }) {
  const [editing, setEditing] = useState(false);
  const deleted = useDeleted();
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/status-pages/{id}", { params: { path: { id: page.id } } })),
    {
      invalidate: [["status-pages"]],
      onSuccess: () => deleted("Status page deleted", "/status-pages"),
    },
  );
  return (
    <ActionsWithError error={remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={() => setEditing(true)}>
          <Pencil className="h-4 w-4" aria-hidden="true" /> Edit
        </Button>
        <ConfirmButton
          variant="danger"
          mutation={remove}
          confirm={{
            title: "Delete this status page?",
            description: (
              <span className="wrap-anywhere">
                <strong>{page.publicPath}</strong> stops answering, and its incidents are deleted.
                The monitors stay.
              </span>
            ),
            confirmLabel: "Delete status page",
          }}
        >
          <Trash2 className="h-4 w-4" aria-hidden="true" /> Delete
        </ConfirmButton>
      </div>
      <StatusPageDialog open={editing} onOpenChange={setEditing} page={page} />
    </ActionsWithError>
  );
}
