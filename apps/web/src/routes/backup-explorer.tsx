// The storage explorer of a backup destination (one ListPage): what the destination holds, in
// name order, each object with its size, time and sidecar, and the artifact the panel recorded
// for it: known, unknown (no artifact: put there by hand or by another panel) or missing (an
// artifact whose object is gone). Filters (status, plan, source, verification, since a day,
// a least size) live in the URL. A known artifact is deleted after a confirmation naming it
// (the only good copy of its source only when the person says so again); unknown artifacts
// with a sidecar are selected and imported.
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { ConfirmButton } from "../components/confirm-button.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { dayStart } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { toast } from "../lib/toast.ts";
import { columnsOf } from "./backup-explorer-parts.tsx";
import { isOneOf } from "./hosting-parts.tsx";
import { SinceField } from "./tasks-parts.tsx";

const route = getRouteApi("/app/backups/destinations/$id/objects");

const STATUSES = ["known", "unknown", "missing"] as const;
const isStatus = isOneOf(STATUSES);
const VERIFIED = ["true", "false"] as const;
const isVerified = isOneOf(VERIFIED);
const MIB = 1024 * 1024;

export function BackupExplorerPage() {
  const { id } = route.useParams();
  const search = route.useSearch();
  const navigate = useNavigate();
  const set = (patch: Record<string, string | undefined>) =>
    void navigate({
      to: "/backups/destinations/$id/objects",
      params: { id },
      search: { ...search, ...patch },
      replace: true,
    });
  const status = isStatus(search.status) ? search.status : undefined;
  const verified = isVerified(search.verified) ? search.verified : undefined;
  const minMib = Number(search.minMib);
  const query = {
    status,
    verified,
    plan: search.plan || undefined,
    source: search.source || undefined,
    from: dayStart(search.since),
    minBytes: minMib > 0 ? Math.round(minMib * MIB) : undefined,
  };
  const destination = useQuery({
    queryKey: ["backup-destinations", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/backup-destinations/{id}", { params: { path: { id } } })),
  });
  const paged = usePaged(["backup-objects", id, query], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/backup-destinations/{id}/objects", {
        params: { path: { id }, query: { ...query, cursor, limit } },
      }),
    ),
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = (name: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  const importing = useApiMutation(
    async (names: string[]) =>
      unwrap(
        await api.POST("/api/v1/backup-destinations/{id}/import", {
          params: { path: { id } },
          body: { names },
        }),
      ),
    {
      invalidate: [["backup-objects"], ["backup-artifacts"]],
      onSuccess: (out) => {
        setSelected(new Set());
        toast(`${out.imported.length} artifact(s) imported`);
      },
    },
  );
  const textFilter = (key: "plan" | "source", label: string) => (
    <Field className="content-start" label={label}>
      <Input
        value={search[key] ?? ""}
        placeholder="id"
        maxLength={64}
        onChange={(e) => set({ [key]: e.target.value || undefined })}
      />
    </Field>
  );
  return (
    <ListPage
      title={`What ${destination.data?.name ?? "the destination"} holds`}
      description="Each object on the destination with its sidecar and the artifact recorded for it: known, unknown (no artifact here: put there by hand or by another panel) or missing (recorded, but gone from the destination). Unknown artifacts with a sidecar can be imported; their size and SHA-256 are checked against the object first."
      actions={
        <div className="grid justify-items-end gap-1">
          <ConfirmButton
            disabled={selected.size === 0}
            busy={importing.isPending}
            onConfirm={() => importing.mutate([...selected])}
            confirm={{
              title: `Import ${selected.size} artifact(s)?`,
              description: `${[...selected].join(", ")} become artifacts of this destination's account, of the plan their sidecar names when it is the account's.`,
              confirmLabel: "Import",
              destructive: false,
            }}
          >
            Import selected ({selected.size})
          </ConfirmButton>
          <ErrorAlert error={importing.error} />
        </div>
      }
      filters={{
        active: Object.values(query).some((v) => v !== undefined),
        className: "flex flex-wrap items-start gap-3",
        clear: () =>
          set({
            status: undefined,
            verified: undefined,
            plan: undefined,
            source: undefined,
            since: undefined,
            minMib: undefined,
          }),
        controls: (
          <>
            <Field className="content-start" label="Status">
              <EnumSelect
                label="Status"
                allLabel="Present"
                options={STATUSES}
                value={status}
                onChange={(v) => set({ status: v })}
              />
            </Field>
            <Field className="content-start" label="Verified">
              <EnumSelect
                label="Verified"
                allLabel="Either"
                options={VERIFIED}
                value={verified}
                onChange={(v) => set({ verified: v })}
              />
            </Field>
            {textFilter("plan", "Plan")}
            {textFilter("source", "Source")}
            <SinceField value={search.since} onChange={(since) => set({ since })} />
            <Field className="content-start" label="At least (MiB)">
              <Input
                type="number"
                min={0}
                value={search.minMib ?? ""}
                onChange={(e) => set({ minMib: e.target.value || undefined })}
              />
            </Field>
          </>
        ),
      }}
      label="Objects"
      columns={columnsOf(selected, toggle)}
      paged={paged}
      rowKey={(o) => `${o.status}:${o.name}:${o.artifact?.id ?? ""}`}
      empty={
        <EmptyState title="Nothing on this destination yet.">
          A plan's run puts an artifact and its sidecar here; objects put by hand show up too.
        </EmptyState>
      }
    />
  );
}
