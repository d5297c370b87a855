// The storage explorer's table (backup-explorer.tsx): its columns, the checkbox that selects
// an unknown artifact for import, and a known artifact's "Delete", asking first with its name
// and, for the only good copy, asking for the name to be typed ("Delete anyway").
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { Note } from "../components/record-link.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { formatBytes } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import { When } from "./hosting-parts.tsx";

export type StoredObject = Item<"/api/v1/backup-destinations/{id}/objects">;

const tones: Record<string, BadgeTone> = { known: "ok", unknown: "warn", missing: "danger" };
export const importable = (o: StoredObject) => o.status === "unknown" && o.sidecar !== null;

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

export function columnsOf(
  selected: Set<string>,
  toggle: (name: string) => void,
): Column<StoredObject>[] {
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
