// Adopting what already exists on a server: "Find existing" asks the server for its databases
// (with sizes) and users, those Steward does not know yet get a checkbox each, and "Adopt"
// takes the checked ones in without touching them (an adopted user's password stays unknown
// until it is rotated).
import { useState } from "react";
import { ActionsWithError } from "../components/confirm-button.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatBytes } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import type { DbServer } from "./databases-parts.tsx";

type Picked = Record<string, boolean>;

function Choices({
  legend,
  items,
  picked,
  onPick,
}: {
  legend: string;
  items: { name: string; note: string }[];
  picked: Picked;
  onPick: (name: string, on: boolean) => void;
}) {
  return (
    <fieldset className="grid gap-1">
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      {items.length === 0 ? <p className="text-sm text-fg-muted">None to adopt.</p> : null}
      {items.map((item) => (
        <label key={item.name} className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="h-4 w-4 accent-primary"
            checked={picked[item.name] ?? false}
            onChange={(e) => onPick(item.name, e.target.checked)}
          />
          <span className="font-mono break-all">{item.name}</span>
          <span className="text-xs text-fg-muted">{item.note}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function AdoptCard({ server }: { server: DbServer }) {
  const path = { params: { path: { id: server.id } } };
  const [databases, setDatabases] = useState<Picked>({});
  const [users, setUsers] = useState<Picked>({});
  const find = useApiMutation(async () =>
    unwrap(await api.GET("/api/v1/database-servers/{id}/inventory", path)),
  );
  const adopt = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/database-servers/{id}/adopt", {
          ...path,
          body: {
            databases: Object.keys(databases).filter((n) => databases[n]),
            users: Object.keys(users).filter((n) => users[n]),
          },
        }),
      ),
    {
      invalidate: [["databases"], ["database-users"]],
      onSuccess: (made) => {
        toast(`Adopted ${made.databases.length} database(s) and ${made.users.length} user(s)`);
        setDatabases({});
        setUsers({});
        find.mutate(undefined);
      },
    },
  );
  const found = find.data;
  const checked = [...Object.values(databases), ...Object.values(users)].filter(Boolean).length;
  return (
    <Card title="Adopt existing">
      <div className="grid gap-4">
        <p className="text-sm text-fg-muted">
          Databases and users made on the server without Steward can be taken in as they are.
        </p>
        {found ? (
          <>
            <Choices
              legend="Databases"
              items={found.databases
                .filter((d) => d.known === null)
                .map((d) => ({ name: d.name, note: formatBytes(d.sizeBytes) }))}
              picked={databases}
              onPick={(name, on) => setDatabases((p) => ({ ...p, [name]: on }))}
            />
            <Choices
              legend="Users"
              items={found.users
                .filter((u) => u.known === null)
                .map((u) => ({ name: u.name, note: u.hosts.join(", ") }))}
              picked={users}
              onPick={(name, on) => setUsers((p) => ({ ...p, [name]: on }))}
            />
          </>
        ) : null}
        <ActionsWithError error={find.error ?? adopt.error}>
          <div className="flex flex-wrap justify-end gap-2">
            <Button
              variant="secondary"
              busy={find.isPending}
              onClick={() => find.mutate(undefined)}
            >
              {found ? "Look again" : "Find existing"}
            </Button>
            {found ? (
              <Button
                busy={adopt.isPending}
                disabled={checked === 0}
                onClick={() => adopt.mutate(undefined)}
              >
                Adopt {checked || ""} checked
              </Button>
            ) : null}
          </div>
        </ActionsWithError>
      </div>
    </Card>
  );
}
