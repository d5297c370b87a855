// A zone's secondaries: other nodes serving it by transfer (AXFR) from its node, each with its
// DNS address and state (a failure says why). Adding one applies the zone again so the node may
// transfer it; removing one asks first. Both nodes need a DNS address (the node's page).
import { useQuery } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { ZoneInfo } from "./dns-parts.tsx";
import { NodeLink } from "./hosting-parts.tsx";
import { NodeField } from "./site-form-parts.tsx";

type Secondary = Schema<"/api/v1/dns/zones/{id}/secondaries", "get">["items"][number];

const tones: Record<Secondary["state"], BadgeTone> = {
  pending: "info",
  active: "ok",
  failed: "danger",
  removing: "neutral",
};

const busy = (s: Secondary) => s.state === "pending" || s.state === "removing";

export function SecondariesCard({ zone, canEdit }: { zone: ZoneInfo; canEdit: boolean }) {
  const key = ["dns-secondaries", zone.id];
  const list = useQuery({
    queryKey: key,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/dns/zones/{id}/secondaries", {
          params: { path: { id: zone.id } },
        }),
      ).items,
    refetchInterval: (q) => (q.state.data?.some(busy) ? 2_000 : 30_000),
  });
  const items = list.data ?? [];
  return (
    <Card title="Secondaries">
      <div className="grid gap-3">
        <p className="text-sm text-fg-muted">
          Other nodes that serve this zone by transfer from its node, for redundancy.
        </p>
        {list.isPending ? (
          <p className="text-sm text-fg-muted">Loading…</p>
        ) : items.length === 0 ? (
          <p className="text-sm text-fg-muted">No secondary: only the zone's node serves it.</p>
        ) : (
          <ul className="grid gap-2">
            {items.map((s) => (
              <SecondaryRow key={s.nodeId} zone={zone} secondary={s} canEdit={canEdit} />
            ))}
          </ul>
        )}
        {canEdit ? <AddSecondary zone={zone} /> : null}
      </div>
    </Card>
  );
}

function SecondaryRow({
  zone,
  secondary: s,
  canEdit,
}: {
  zone: ZoneInfo;
  secondary: Secondary;
  canEdit: boolean;
}) {
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/dns/zones/{id}/secondaries/{nodeId}", {
          params: { path: { id: zone.id, nodeId: s.nodeId } },
        }),
      ),
    { invalidate: [["dns-secondaries", zone.id]] },
  );
  const name = s.nodeName ?? s.nodeId;
  return (
    <li className="grid gap-1 rounded-md border border-border p-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="flex flex-wrap items-center gap-2">
          <NodeLink id={s.nodeId} />
          <Badge tone={tones[s.state]}>{s.state}</Badge>
          <span className="font-mono text-xs text-fg-muted">{s.address ?? "no DNS address"}</span>
        </span>
        {canEdit && s.state !== "removing" ? (
          <ActionsWithError error={remove.error}>
            <ConfirmButton
              size="sm"
              variant="danger"
              mutation={remove}
              aria-label={`Remove secondary ${name}`}
              confirm={{
                title: `Stop ${name} serving ${zone.name}?`,
                description:
                  "The zone is applied without it, then the node stops serving the zone. Its primary keeps serving it.",
                confirmLabel: "Remove secondary",
              }}
            >
              <Trash2 className="h-4 w-4" aria-hidden="true" /> Remove
            </ConfirmButton>
          </ActionsWithError>
        ) : null}
      </div>
      {s.state === "failed" && s.lastError ? (
        <p className="text-xs whitespace-pre-wrap text-danger wrap-anywhere">{s.lastError}</p>
      ) : null}
    </li>
  );
}

function AddSecondary({ zone }: { zone: ZoneInfo }) {
  const [node, setNode] = useState("");
  const add = useApiMutation(
    async (body: { node: string }) =>
      unwrap(
        await api.POST("/api/v1/dns/zones/{id}/secondaries", {
          params: { path: { id: zone.id } },
          body,
        }),
      ),
    {
      invalidate: [
        ["dns-secondaries", zone.id],
        ["dns-zone", zone.id],
      ],
      onSuccess: () => setNode(""),
    },
  );
  return (
    <form
      className="grid gap-2"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({ node });
      }}
    >
      <NodeField
        value={node}
        onChange={setNode}
        error={fieldError(add.error, "node")}
        hint="Another node with a DNS address; it transfers the zone from this zone's node."
      />
      <ErrorAlert error={unshownError(add.error, ["node"])} />
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" busy={add.isPending} disabled={!node}>
          <Plus className="h-4 w-4" aria-hidden="true" /> Add secondary
        </Button>
      </div>
    </form>
  );
}
