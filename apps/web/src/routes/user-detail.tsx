// One user: profile, status and second factors, the admin actions (disable, reset 2FA, set a
// password), the groups they are in and every grant that gives them a role.
import { getRouteApi } from "@tanstack/react-router";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { Alert } from "../components/ui/alert.tsx";
import { Card } from "../components/ui/card.tsx";
import { formatDateTime } from "../lib/format.ts";
import { BackLink, DetailState } from "./access-parts.tsx";
import { PrincipalGrantsCard } from "./principal-grants-card.tsx";
import { useRecord } from "./record-query.ts";
import { SetPasswordButton, UserActions } from "./user-actions.tsx";
import { UserGroupsCard } from "./user-groups.tsx";
import { TwoFactorStatus, type User, UserStatus } from "./users.tsx";

const route = getRouteApi("/app/users/$id");

export function UserDetailPage() {
  const { id } = route.useParams();
  const user = useRecord("user", id);
  const back = <BackLink to="/users" label="Users" />;
  if (!user.data) return <DetailState query={user} back={back} />;
  const u = user.data;
  return (
    <>
      {back}
      <div className="min-w-0 break-all">
        <PageHeader
          title={u.email}
          description={u.name ? <span className="wrap-anywhere">{u.name}</span> : undefined}
        />
      </div>
      <div className="grid gap-6">
        <Card title="Profile" actions={<SetPasswordButton user={u} />}>
          <div className="grid gap-4">
            <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[9rem_1fr]">
              <dt className="text-fg-muted">Email</dt>
              <dd className="min-w-0 break-all">{u.email}</dd>
              <dt className="text-fg-muted">Name</dt>
              <dd className="min-w-0 wrap-anywhere whitespace-pre-wrap">
                {u.name || <span className="text-fg-muted">—</span>}
              </dd>
              <dt className="text-fg-muted">Status</dt>
              <dd>
                <UserStatus user={u} />
              </dd>
              <dt className="text-fg-muted">Second factors</dt>
              <dd>
                <TwoFactorStatus user={u} />
              </dd>
              <dt className="text-fg-muted">Created</dt>
              <dd>{formatDateTime(u.createdAt)}</dd>
              <dt className="text-fg-muted">Id</dt>
              <dd className="font-mono text-xs break-all">{u.id}</dd>
            </dl>
            <div className="border-t border-border pt-3">
              <UserActions user={u} />
            </div>
          </div>
        </Card>
        <UserGroupsCard user={u} />
        <UserGrantsCard user={u} />
      </div>
    </>
  );
}

function UserGrantsCard({ user }: { user: User }) {
  return (
    <PrincipalGrantsCard
      title="Roles"
      principal={{ type: "user", id: user.id, name: user.email }}
      alert={
        user.super ? (
          <Alert>
            A super user: admin everywhere through the super group, whatever the grants below say.
          </Alert>
        ) : null
      }
      label="Grants that apply to this user"
      filter={{ userId: user.id }}
      forUser={user.id}
      empty={
        <EmptyState title="No grant gives this user a role.">
          {user.super
            ? "As a super user they need none."
            : "Give them a role with “New grant”, or add them to a group that has one."}
        </EmptyState>
      }
    />
  );
}
