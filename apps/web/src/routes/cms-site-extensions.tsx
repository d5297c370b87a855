// A CMS site's plugins and themes (or Joomla extensions) with their update state; an offered
// update applied from here as the site's upgrade task, for those who may manage the site.
import { ActionsWithError } from "../components/confirm-button.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { type CmsSite, cmsKeys } from "./cms-parts.tsx";

export function ExtensionsCard({ site, onTask }: { site: CmsSite; onTask: (id: string) => void }) {
  const update = useApiMutation(
    async (body: { type: "plugin" | "theme" | "extension"; slug: string }) =>
      unwrap(
        await api.POST("/api/v1/cms-sites/{id}/update", {
          params: { path: { id: site.id } },
          body,
        }),
      ),
    { invalidate: [cmsKeys.one(site.id)], onSuccess: (out) => onTask(out.taskId) },
  );
  const extensions = site.info?.extensions ?? [];
  return (
    <Card title="Plugins and themes">
      {extensions.length === 0 ? (
        <p className="text-sm text-fg-muted">Not refreshed yet: “Check for updates” reads them.</p>
      ) : (
        <ActionsWithError error={update.error}>
          <table className="w-full text-sm">
            <caption className="sr-only">Plugins and themes of {site.name}</caption>
            <thead className="text-left text-fg-muted">
              <tr>
                <th className="py-1 font-medium">Name</th>
                <th className="py-1 font-medium">Type</th>
                <th className="py-1 font-medium">Version</th>
                <th className="py-1 font-medium">State</th>
                <th className="py-1" />
              </tr>
            </thead>
            <tbody>
              {extensions.map((e) => (
                <tr key={`${e.type}:${e.slug}`} className="border-t border-border">
                  <td className="py-1.5">
                    <span className="grid">
                      <span className="font-medium wrap-anywhere">{e.name}</span>
                      <span className="font-mono text-xs text-fg-muted break-all">{e.slug}</span>
                    </span>
                  </td>
                  <td className="py-1.5">{e.type}</td>
                  <td className="py-1.5 tabular-nums">{e.version}</td>
                  <td className="py-1.5">
                    <span className="flex flex-wrap gap-1">
                      {e.update ? (
                        <Badge tone="warn">{e.update} offered</Badge>
                      ) : (
                        <Badge tone="ok">up to date</Badge>
                      )}
                      {e.active ? <Badge tone="info">active</Badge> : null}
                    </span>
                  </td>
                  <td className="py-1.5 text-right">
                    {e.update && site.can.manage ? (
                      <Button
                        size="sm"
                        busy={update.isPending && update.variables?.slug === e.slug}
                        onClick={() =>
                          update.mutate({
                            // a Joomla extension of any type is updated as an "extension"
                            type:
                              site.kind === "wordpress" &&
                              (e.type === "plugin" || e.type === "theme")
                                ? e.type
                                : "extension",
                            slug: e.slug,
                          })
                        }
                      >
                        Update to {e.update}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ActionsWithError>
      )}
    </Card>
  );
}
