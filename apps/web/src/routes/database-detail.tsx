// One database: its server and account, what it was made with, its size now and over time
// (the hourly measurements as a chart), the users with a grant on it and theirs, a link to
// its SQL console, and "Delete" after typing its name.
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { SquareTerminal, Trash2 } from "lucide-react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { SizeChart } from "../components/size-chart.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { DetailPage, useDeleted } from "./access-parts.tsx";
import { grantText } from "./database-users.tsx";
import { type Database, DbLink, engineName, sizeText } from "./databases-parts.tsx";
import { CodeRow, Row, Rows, When } from "./hosting-parts.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/databases/$id");

const OPTION_WORDS: Record<string, string> = {
  charset: "Character set",
  collation: "Collation",
  encoding: "Encoding",
  locale: "Locale",
  owner: "Owner",
};

export function DatabasePage() {
  const { id } = route.useParams();
  const me = useMe();
  const query = useQuery({
    queryKey: ["databases", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/databases/{id}", { params: { path: { id } } })),
  });
  return (
    <DetailPage
      query={query}
      back={{ to: "/databases", label: "Databases" }}
      header={(db) => ({
        title: db.name,
        description: `${engineName(db.engine)} database on ${db.server}`,
        actions: <DatabaseActions database={db} canDelete={me.can.manageDatabases} />,
      })}
    >
      {(db) => (
        <div className="grid min-w-0 gap-4">
          <SizeCard database={db} />
          <div className="grid gap-4 lg:grid-cols-2">
            <DatabaseCard database={db} />
            <UsersCard database={db} />
          </div>
        </div>
      )}
    </DetailPage>
  );
}

function DatabaseActions({ database, canDelete }: { database: Database; canDelete: boolean }) {
  const deleted = useDeleted();
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/databases/{id}", {
          params: { path: { id: database.id }, query: { confirm: database.name } },
        }),
      ),
    {
      invalidate: [["databases"], ["database-users"], ["database-sizes"]],
      onSuccess: () => deleted(`Database ${database.name} deleted`, "/databases"),
    },
  );
  return (
    <ActionsWithError error={remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <Link
          to="/databases/$id/sql"
          params={{ id: database.id }}
          className="inline-flex h-9 items-center gap-2 rounded-md border border-border px-3 text-sm font-medium hover:bg-muted"
        >
          <SquareTerminal className="h-4 w-4" aria-hidden="true" /> SQL console
        </Link>
        {canDelete ? (
          <ConfirmButton
            variant="danger"
            mutation={remove}
            confirm={{
              title: "Delete this database?",
              description: (
                <span className="wrap-anywhere">
                  The server drops <strong>{database.name}</strong> and every table in it; its users
                  lose their grants on it. This cannot be undone.
                </span>
              ),
              confirmLabel: "Delete database",
              typeToConfirm: database.name,
            }}
          >
            <Trash2 className="h-4 w-4" aria-hidden="true" /> Delete
          </ConfirmButton>
        ) : null}
      </div>
    </ActionsWithError>
  );
}

function SizeCard({ database }: { database: Database }) {
  const sizes = useQuery({
    queryKey: ["database-sizes", database.id],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/databases/{id}/sizes", {
          params: { path: { id: database.id }, query: { limit: 200 } },
        }),
      ).items,
  });
  return (
    <Card title={`Size: ${sizeText(database.sizeBytes)}`}>
      <SizeChart
        points={[...(sizes.data ?? [])].reverse()}
        label={`Size of ${database.name} over its last ${sizes.data?.length ?? 0} measurements`}
      />
    </Card>
  );
}

function DatabaseCard({ database }: { database: Database }) {
  const accountName = useAccountName();
  const options = Object.entries(database.options).filter(([key]) => key !== "name");
  return (
    <Card title="Database">
      <Rows>
        <Row label="Server">
          <DbLink to="/database-servers/$id" id={database.serverId} className="font-normal">
            {database.server}
          </DbLink>
        </Row>
        <Row label="Account">
          {database.accountId === null ? "shared" : accountName(database.accountId)}
        </Row>
        {options.map(([key, value]) => (
          <Row key={key} label={OPTION_WORDS[key] ?? key}>
            <span className="font-mono">{value}</span>
          </Row>
        ))}
        <Row label="Made by">{database.adopted ? "adopted (it existed before)" : "Steward"}</Row>
        <Row label="Measured">
          <When iso={database.sizedAt} />
        </Row>
        <Row label="Created">
          <When iso={database.createdAt} />
        </Row>
        <CodeRow label="Id" value={database.id} />
      </Rows>
    </Card>
  );
}

/** The users of its server with a grant on it (the server's first 200 users). */
function UsersCard({ database }: { database: Database }) {
  const users = useQuery({
    queryKey: ["database-users", { server: database.serverId, all: true }],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/database-users", {
          params: { query: { server: database.serverId, limit: 200, sort: "name" } },
        }),
      ).items,
  });
  const granted = (users.data ?? []).flatMap((u) => {
    const grant = u.grants.find((g) => g.databaseId === database.id);
    return grant ? [{ user: u, grant }] : [];
  });
  return (
    <Card title="Users">
      {granted.length === 0 ? (
        <p className="text-sm text-fg-muted">
          {users.isPending ? "Loading…" : "No user has a grant on this database yet."}{" "}
          {users.isPending ? null : (
            <Link
              to="/database-users"
              search={{ server: database.serverId }}
              className="text-primary underline underline-offset-2"
            >
              Users of {database.server}
            </Link>
          )}
        </p>
      ) : (
        <ul className="grid gap-2 text-sm">
          {granted.map(({ user, grant }) => (
            <li key={user.id} className="flex flex-wrap justify-between gap-2">
              <Link
                to="/database-users"
                search={{ server: database.serverId }}
                className="font-mono text-primary hover:underline break-all"
              >
                {user.name}
              </Link>
              <span className="text-fg-muted">{grantText(grant.level)}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
