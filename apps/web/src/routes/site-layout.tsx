// Where a site's files live and who runs its PHP (docs/sites.md#the-account-layout): its own
// system user, or its account's main user (files) and CGI user (PHP), which may write only
// the site's writable directories (site-writable.tsx). A site of the own layout can be moved into its account's (after a confirmation):
// its task copies the files, checks the site answers the same and moves it back otherwise.
import { FolderInput } from "lucide-react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { Row, Rows, type Site } from "./hosting-parts.tsx";
import { SiteWritableDirs } from "./site-writable.tsx";

export function SiteLayoutCard({ site }: { site: Site }) {
  const move = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/sites/{id}/migrate-layout", {
          params: { path: { id: site.id } },
        }),
      ),
    { invalidate: [["sites"], ["site", site.id], ["tasks"]] },
  );
  const name = site.domains[0] ?? site.id;
  const account = site.layout === "account" && !site.moving;
  return (
    <Card title="Files and PHP">
      <Rows>
        <Row label="Layout">
          <span className="flex flex-wrap items-center gap-1">
            {account ? "the account's" : "its own system user's"}
            {site.moving ? <Badge tone="warn">moving to the account's</Badge> : null}
          </span>
        </Row>
        <Row label="Files owned by">
          <span className="font-mono text-xs">{site.filesUser}</span>
        </Row>
        {site.kind === "php" ? (
          <>
            <Row label="PHP runs as">
              <span className="font-mono text-xs">{site.phpUser ?? "—"}</span>
              {account ? (
                <span className="text-fg-muted">
                  {" "}
                  (writes only its writable directories and its temp files)
                </span>
              ) : null}
            </Row>
            <Row label="PHP version">{site.phpVersion ?? "the node's default"}</Row>
          </>
        ) : null}
      </Rows>
      {site.kind === "php" && site.status !== "deleting" ? <SiteWritableDirs site={site} /> : null}
      {site.layout === "site" && site.status !== "deleting" ? (
        <div className="mt-4">
          <ActionsWithError error={move.error}>
            <ConfirmButton
              variant="secondary"
              busy={move.isPending}
              confirm={{
                title: "Move this site into its account's layout?",
                description: (
                  <span className="wrap-anywhere">
                    The files of <strong>{name}</strong> are copied into the home of its account's
                    main system user, and its PHP then runs as the account's CGI user, which can
                    write only its writable directories. The site must answer as before, or it is
                    moved back; the old files are deleted only once it does. The account needs a
                    main system user on the site's node.
                  </span>
                ),
                confirmLabel: "Move site",
              }}
              onConfirm={() => move.mutate(undefined)}
            >
              <FolderInput className="h-4 w-4" aria-hidden="true" /> Move into the account's layout
            </ConfirmButton>
          </ActionsWithError>
        </div>
      ) : null}
    </Card>
  );
}
