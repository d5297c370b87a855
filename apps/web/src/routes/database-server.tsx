// One database server: where it runs and how Steward reaches it, its last connection test in
// words, its databases (linking to theirs), and the databases and users that
// exist on it unknown to Steward, to adopt with checkboxes; "Test again", "Edit" and "Delete"
// (database-server-edit.tsx).

import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";
import { DetailPage } from "./access-parts.tsx";
import { AdoptCard } from "./database-adopt.tsx";
import { ServerActions } from "./database-server-edit.tsx";
import { databaseColumns } from "./databases.tsx";
import {
  type DbServer,
  engineName,
  placementText,
  shortVersion,
  sizeText,
  TestBadge,
  TestReport,
} from "./databases-parts.tsx";
import { CodeRow, Row, Rows, useNodeName, When } from "./hosting-parts.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/database-servers/$id");

export function DatabaseServerPage() {
  const { id } = route.useParams();
  const me = useMe();
  const query = useQuery({
    queryKey: ["database-servers", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/database-servers/{id}", { params: { path: { id } } })),
  });
  return (
    <DetailPage
      query={query}
      back={{ to: "/database-servers", label: "Database servers" }}
      header={(server) => ({
        title: server.name,
        description: (
          <span className="flex flex-wrap items-center gap-2">
            <TestBadge report={server.lastTest} />
            <span className="text-sm text-fg-muted">
              {shortVersion(server.version) ?? engineName(server.engine)}
            </span>
          </span>
        ),
        actions: me.can.manageDatabases ? <ServerActions server={server} /> : undefined,
      })}
    >
      {(server) => (
        <div className="grid min-w-0 gap-4">
          {server.lastTest ? <TestReport report={server.lastTest} at={server.testedAt} /> : null}
          <div className="grid gap-4 lg:grid-cols-2">
            <ServerCard server={server} />
            {me.can.manageDatabases ? <AdoptCard server={server} /> : null}
          </div>
          <ServerDatabases server={server} />
        </div>
      )}
    </DetailPage>
  );
}

function ServerCard({ server }: { server: DbServer }) {
  const accountName = useAccountName();
  const nodeName = useNodeName();
  return (
    <Card title="Server">
      <Rows>
        <Row label="Account">
          {server.accountId === null ? "shared (super users)" : accountName(server.accountId)}
        </Row>
        <Row label="Where">{placementText(server, nodeName)}</Row>
        {server.placement === "external" ? (
          <>
            <Row label="Admin user">{server.adminUser}</Row>
            <Row label="TLS">
              {server.tls.mode}
              {server.tls.ca ? " (with its CA)" : ""}
            </Row>
          </>
        ) : null}
        <Row label="Size">{sizeText(server.sizeBytes)}</Row>
        <Row label="Added">
          <When iso={server.createdAt} />
        </Row>
        <CodeRow label="Id" value={server.id} />
      </Rows>
    </Card>
  );
}

function ServerDatabases({ server }: { server: DbServer }) {
  const accountName = useAccountName();
  const paged = usePaged(["databases", { server: server.id }], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/databases", {
        params: { query: { server: server.id, sort: "name", cursor, limit } },
      }),
    ),
  );
  return (
    <ListCard
      title="Databases"
      label={`Databases on ${server.name}`}
      columns={databaseColumns(accountName).filter((c) => c.header !== "Server")}
      paged={paged}
      rowKey={(d) => d.id}
      empty={
        <EmptyState title="No databases on this server yet.">
          Create one on the Databases page, or adopt the ones that already exist.
        </EmptyState>
      }
    />
  );
}
