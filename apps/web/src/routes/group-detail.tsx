// One group: what it is, its members (add from a search, remove) and the roles it gives.
import { getRouteApi } from "@tanstack/react-router";
import { EmptyState } from "../components/page.tsx";
import { Alert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { formatDateTime } from "../lib/format.ts";
import { DetailPage, useDeleted } from "./access-parts.tsx";
import { MembersCard } from "./group-members.tsx";
import { type Group, GroupActions } from "./groups.tsx";
import { PrincipalGrantsCard } from "./principal-grants-card.tsx";
import { useRecord } from "./record-query.ts";

const route = getRouteApi("/app/groups/$id");

export function GroupDetailPage() {
  const { id } = route.useParams();
  const deleted = useDeleted();
  const group = useRecord("group", id);
  return (
    <DetailPage
      query={group}
      back={{ to: "/groups", label: "Groups" }}
      header={(g) => ({
        title: g.name,
        description: g.description ? (
          <span className="wrap-anywhere whitespace-pre-wrap">{g.description}</span>
        ) : undefined,
        actions: (
          <GroupActions
            group={g}
            afterDelete={() => deleted(`Group ${g.name} deleted.`, "/groups")}
          />
        ),
      })}
    >
      {(g) => (
        <div className="grid gap-6">
          {g.builtin ? (
            <Alert>
              <strong>super</strong> is built in: its members are admin everywhere and the only
              holders of system privileges (users, groups, global grants, settings). It cannot be
              renamed, deleted or given grants. The last enabled super user cannot leave it.
            </Alert>
          ) : null}
          <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
            <dt className="text-fg-muted">Members</dt>
            <dd>{g.members}</dd>
            <dt className="text-fg-muted">Created</dt>
            <dd>{formatDateTime(g.createdAt)}</dd>
            <dt className="text-fg-muted">Kind</dt>
            <dd>{g.builtin ? <Badge tone="info">built in</Badge> : "created here"}</dd>
          </dl>
          <MembersCard group={g} />
          {g.builtin ? null : <GroupGrantsCard group={g} />}
        </div>
      )}
    </DetailPage>
  );
}

function GroupGrantsCard({ group }: { group: Group }) {
  return (
    <PrincipalGrantsCard
      title="Roles this group gives"
      principal={{ type: "group", id: group.id, name: group.name }}
      label="Grants of this group"
      filter={{ principalType: "group", principalId: group.id }}
      hidePrincipal
      empty={
        <EmptyState title="This group gives no role yet.">
          Give it a role on an account or everywhere with “New grant”.
        </EmptyState>
      }
    />
  );
}
