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
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { dayStart, formatBytes } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { toast } from "../lib/toast.ts";
import { isOneOf, When } from "./hosting-parts.tsx";
import { SinceField } from "./tasks-parts.tsx";

type StoredObject = Item<"/api/v1/backup-destinations/{id}/objects">;
const route = getRouteApi("/app/backups/destinations/$id/objects");

const STATUSES = ["known", "unknown", "missing"] as const;
const isStatus = isOneOf(STATUSES);
const VERIFIED = ["true", "false"] as const;
const isVerified = isOneOf(VERIFIED);
const tones: Record<string, BadgeTone> = { known: "ok", unknown: "warn", missing: "danger" };
const importable = (o: StoredObject) => o.status === "unknown" && o.sidecar !== null;
const MIB = 1024 * 1024;

function DeleteArtifact({ object: o }: { object: StoredObject }) {
  const artifact = o.artifact;
  const remove = useApiMutation(
    async (force: boolean) =>
      unwrap(
        await api.DELETE("/api/v1/backup-artifacts/{id}", {
          params: { path: { id: artifact?.id ?? "" }, query: force ? { force: "true" } : {} },
        }),
      ),
    {
      invalidate: [["backup-objects"], ["backup-artifacts"]],
      onSuccess: () => toast(`Artifact ${o.name} deleted`),
    },
  );
  if (!artifact) return null;
  const onlyCopy = remove.error instanceof Error && /only good copy/.test(remove.error.message);
  return (
    <ActionsWithError error={remove.error}>
      <ConfirmButton
        size="sm"
        variant="danger"
        busy={remove.isPending}
        onConfirm={() => remove.mutate(onlyCopy)}
        confirm={{
          title: `Delete the artifact ${o.name}?`,
          description: onlyCopy
            ? `It is the only good copy of ${artifact.sourceDescription}: nothing will be left to restore it from.`
            : `Its object and sidecar are deleted from the destination${o.status === "missing" ? " (already gone there)" : ""}, and the artifact is marked deleted.`,
          confirmLabel: onlyCopy ? "Delete the only copy" : "Delete artifact",
          ...(onlyCopy ? { typeToConfirm: o.name } : {}),
        }}
      >
        {onlyCopy ? "Delete anyway" : "Delete"}
      </ConfirmButton>
    </ActionsWithError>
  );
}

function columnsOf(selected: Set<string>, toggle: (name: string) => void): Column<StoredObject>[] {
  return [
    {
      header: "Import",
      cell: (o) =>
        importable(o) ? (
          <input
            type="checkbox"
            aria-label={`Select ${o.name} to import`}
            className="h-4 w-4 accent-primary"
            checked={selected.has(o.name)}
            onChange={() => toggle(o.name)}
          />
        ) : null,
    },
    {
      header: "Object",
      cell: (o) => (
        <span className="grid gap-0.5">
          <span className="font-mono text-sm break-all">{o.name}</span>
          {o.sidecar ? (
            <Note>
              {o.sidecar.sourceKind} {o.sidecar.sourceDescription}
              {o.sidecar.encrypted ? ", encrypted" : ""}
            </Note>
          ) : null}
          {o.problem ? <Note>{o.problem}</Note> : null}
        </span>
      ),
    },
    {
      header: "Status",
      cell: (o) => (
        <span className="grid justify-items-start gap-0.5">
          <Badge tone={tones[o.status] ?? "neutral"}>{o.status}</Badge>
          {o.artifact?.verifiedAt ? <Badge tone="ok">verified</Badge> : null}
          {o.artifact?.importedAt ? <Note>imported</Note> : null}
        </span>
      ),
    },
    {
      header: "Size",
      cell: (o) => {
        const bytes = o.bytes ?? o.artifact?.bytes ?? null;
        return bytes === null ? "—" : formatBytes(bytes);
      },
    },
    {
      header: "Plan",
      wide: true,
      cell: (o) => (
        <span className="font-mono text-xs">{o.artifact?.planId ?? o.sidecar?.planId ?? "—"}</span>
      ),
    },
    {
      header: "Written",
      wide: true,
      cell: (o) => <When iso={o.modifiedAt ?? o.artifact?.createdAt ?? null} />,
    },
    { header: "", cell: (o) => <DeleteArtifact object={o} /> },
  ];
}

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
