// Backup destinations (one ListPage): where artifacts go (a node's directory, S3, SFTP, FTP),
// whose they are, and their last "test destination" in words. Each row tests again, opens the
// destination's objects (the storage explorer) and deletes after a confirmation that names the
// plans writing there. The account filter lives in the URL.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Button } from "../components/ui/button.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatRelative } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";
import { toast } from "../lib/toast.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { DestinationDialog } from "./backup-destination-form.tsx";
import {
  type Destination,
  DestinationTestBadge,
  destinationKindName,
  destinationWhere,
  PathLink,
  type Plan,
  usePlanOptions,
} from "./backup-parts.tsx";
import { useNodeName } from "./hosting-parts.tsx";
import { AccountSelect, useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/backups/destinations");

/** "Plans writing there: nightly, weekly." for the delete confirmation. */
function usedBy(d: Destination, plans: Plan[] | undefined): string {
  const users = (plans ?? []).filter((p) => p.destinationIds.includes(d.id)).map((p) => p.name);
  if (users.length === 0)
    return "No plan you can see writes there. Its artifacts stay where they are; Steward forgets the destination.";
  return `Plans writing there: ${users.join(", ")}. Take it out of them first: Steward keeps a destination a plan writes to.`;
}

function DestinationActions({ d, plans }: { d: Destination; plans: Plan[] | undefined }) {
  const me = useMe();
  const path = { params: { path: { id: d.id } } };
  const test = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/backup-destinations/{id}/test", path)),
    {
      invalidate: [["backup-destinations"]],
      onSuccess: (t) =>
        toast(t.ok ? `${d.name}: the test passed.` : `${d.name}: the test failed at ${t.step}.`),
    },
  );
  const remove = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/backup-destinations/{id}", path)),
    {
      invalidate: [["backup-destinations"]],
      onSuccess: () => toast(`Destination ${d.name} deleted.`),
    },
  );
  const manage = me.can.manageBackups && (d.accountId !== null || me.super);
  return (
    <ActionsWithError error={test.error ?? remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <PathLink
          href={`/backups/destinations/${encodeURIComponent(d.id)}/objects`}
          className="self-center text-sm"
        >
          Objects
        </PathLink>
        {manage ? (
          <>
            <Button
              size="sm"
              variant="secondary"
              busy={test.isPending}
              onClick={() => {
                remove.reset();
                test.mutate(undefined);
              }}
            >
              Test
            </Button>
            <ConfirmButton
              size="sm"
              variant="danger"
              mutation={remove}
              confirm={{
                title: `Delete the destination ${d.name}?`,
                description: usedBy(d, plans),
                confirmLabel: "Delete destination",
              }}
            >
              Delete
            </ConfirmButton>
          </>
        ) : null}
      </div>
    </ActionsWithError>
  );
}

function columns(
  accountName: (id: string | null) => string,
  nodeName: (id: string) => string,
  plans: Plan[] | undefined,
): Column<Destination>[] {
  return [
    {
      header: "Destination",
      cell: (d) => (
        <span className="grid gap-0.5">
          <span className="font-medium wrap-anywhere">{d.name}</span>
          <Note>{d.accountId === null ? "shared" : accountName(d.accountId)}</Note>
        </span>
      ),
    },
    {
      header: "Kind",
      cell: (d) => (
        <span className="grid gap-0.5">
          {destinationKindName(d.kind)}
          <Note>
            <span className="font-mono wrap-anywhere">{destinationWhere(d, nodeName)}</span>
          </Note>
        </span>
      ),
    },
    {
      header: "Last test",
      cell: (d) => (
        <span className="grid max-w-sm justify-items-start gap-1">
          <DestinationTestBadge test={d.lastTest} />
          {d.lastTest ? <Note>{formatRelative(d.lastTest.at)}</Note> : null}
          {d.lastTest?.message ? (
            <Note>
              <span className="wrap-anywhere">{d.lastTest.message}</span>
            </Note>
          ) : null}
        </span>
      ),
    },
    {
      header: "",
      className: "text-right",
      cell: (d) => <DestinationActions d={d} plans={plans} />,
    },
  ];
}

export function BackupDestinationsPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/backups/destinations", search);
  const accountName = useAccountName();
  const nodeName = useNodeName();
  const plans = usePlanOptions();
  const [creating, setCreating] = useState(false);
  const query = { account: search.account || undefined };
  const paged = usePaged(["backup-destinations", query], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/backup-destinations", {
        params: { query: { ...query, sort: "name", cursor, limit } },
      }),
    ),
  );
  return (
    <>
      <ListPage
        title="Backup destinations"
        description="Where backup plans write their artifacts: a node's directory, S3-compatible storage, SFTP or FTP. Each is tested (a probe written, read back and deleted) before it is saved."
        actions={
          <AddButton
            label="New destination"
            can="manageBackups"
            onClick={() => setCreating(true)}
          />
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
        label="Backup destinations"
        columns={columns(accountName, nodeName, plans.data)}
        paged={paged}
        rowKey={(d) => d.id}
        empty={
          <EmptyState title="No backup destinations yet.">
            Add one with “New destination”, or set up a whole backup in one page with “Quick setup”
            on the Backups page.
          </EmptyState>
        }
      />
      <DestinationDialog
        open={creating}
        onOpenChange={setCreating}
        onCreated={(d) => toast(`Destination ${d.name} saved.`)}
      />
    </>
  );
}
