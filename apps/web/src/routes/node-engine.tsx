// A node's container engine (super users): its disk usage (images, containers, volumes, build
// cache, and what is reclaimable) and prune, which says what it freed.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatBytes } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";

const KINDS = [
  ["images", "Images"],
  ["containers", "Containers"],
  ["volumes", "Volumes"],
  ["buildCache", "Build cache"],
] as const;

export function EngineCard({ nodeId }: { nodeId: string }) {
  const usage = useQuery({
    queryKey: ["node", nodeId, "disk-usage"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/nodes/{id}/disk-usage", { params: { path: { id: nodeId } } })),
    retry: false,
  });
  const [targets, setTargets] = useState({
    images: false,
    containers: true,
    volumes: false,
    buildCache: true,
  });
  const prune = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/nodes/{id}/prune", {
          params: { path: { id: nodeId } },
          body: targets,
        }),
      ),
    { invalidate: [["node", nodeId, "disk-usage"]] },
  );
  return (
    <Card title="Container engine">
      {usage.error ? (
        <ErrorAlert error={usage.error} />
      ) : (
        <div className="grid gap-3 text-sm">
          <table className="w-full max-w-lg">
            <thead className="text-left text-fg-muted">
              <tr>
                <th className="py-1 font-medium">What</th>
                <th className="py-1 font-medium">Count</th>
                <th className="py-1 font-medium">Size</th>
                <th className="py-1 font-medium">Reclaimable</th>
              </tr>
            </thead>
            <tbody>
              {KINDS.map(([key, label]) => (
                <tr key={key} className="border-t border-border">
                  <td className="py-1">{label}</td>
                  <td className="py-1">{usage.data?.[key].count ?? "…"}</td>
                  <td className="py-1">{usage.data ? formatBytes(usage.data[key].bytes) : "…"}</td>
                  <td className="py-1">
                    {usage.data ? formatBytes(usage.data[key].reclaimableBytes) : "…"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="flex flex-wrap items-center gap-4">
            {KINDS.map(([key, label]) => (
              <Checkbox
                key={key}
                label={`Prune ${label.toLowerCase()}`}
                checked={targets[key]}
                onChange={(v) => setTargets({ ...targets, [key]: v })}
              />
            ))}
            <Button
              variant="danger"
              busy={prune.isPending}
              disabled={!Object.values(targets).some(Boolean)}
              onClick={() => prune.mutate(undefined)}
            >
              Prune
            </Button>
          </div>
          {prune.data ? (
            <Alert tone="ok">
              Freed {formatBytes(prune.data.bytesFreed)}: {prune.data.removed.images} images,{" "}
              {prune.data.removed.containers} containers, {prune.data.removed.volumes} volumes.
            </Alert>
          ) : null}
          {prune.error ? <ErrorAlert error={prune.error} /> : null}
        </div>
      )}
    </Card>
  );
}
