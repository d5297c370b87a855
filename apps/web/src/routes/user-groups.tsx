// The groups a user is in, on the user's page: leave one, add them to another.
import type { Column } from "../components/data-table.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { api, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { MembershipCard } from "./group-membership.tsx";
import type { Group } from "./groups.tsx";
import type { User } from "./users.tsx";

const columns: Column<Group>[] = [
  {
    header: "Group",
    cell: (g) => (
      <span className="flex min-w-28 flex-wrap items-center gap-2">
        <RecordLink to="/groups/$id" id={g.id} className="wrap-anywhere">
          {g.name}
        </RecordLink>
        {g.builtin ? <Badge tone="info">admin everywhere</Badge> : null}
      </span>
    ),
  },
  {
    header: "Description",
    cell: (g) => <span className="wrap-anywhere whitespace-pre-wrap">{g.description}</span>,
    wide: true,
  },
];

export function UserGroupsCard({ user }: { user: User }) {
  const paged = usePaged(["groups", { userId: user.id }], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/groups", {
        params: { query: { cursor, limit, userId: user.id } },
      }),
    ),
  );
  return (
    <MembershipCard
      user={user}
      columns={columns}
      membership={(g) => ({ group: g, userId: user.id, email: user.email })}
      paged={paged}
      rowKey={(g) => g.id}
    />
  );
}
