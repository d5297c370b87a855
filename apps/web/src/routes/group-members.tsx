// A group's members, on the group's page: the list, remove one, add one from a search.
import type { Column } from "../components/data-table.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";
import { MembershipCard } from "./group-membership.tsx";
import type { Group } from "./groups.tsx";

type Member = Item<"/api/v1/groups/{id}/members">;

const columns: Column<Member>[] = [
  {
    header: "User",
    cell: (m) => (
      <RecordLink to="/users/$id" id={m.userId}>
        <span className="break-all">{m.email}</span>
        {m.name ? (
          <span className="block text-xs font-normal wrap-anywhere text-fg-muted">{m.name}</span>
        ) : null}
      </RecordLink>
    ),
  },
  { header: "Added", cell: (m) => formatDateTime(m.addedAt), wide: true },
];

export function MembersCard({ group }: { group: Group }) {
  const paged = usePaged(["group", group.id, "members"], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/groups/{id}/members", {
        params: { path: { id: group.id }, query: { cursor, limit } },
      }),
    ),
  );
  return (
    <MembershipCard
      group={group}
      columns={columns}
      membership={(m) => ({ group, userId: m.userId, email: m.email })}
      paged={paged}
      rowKey={(m) => m.userId}
    />
  );
}
