// The latest events of one node or site (GET /api/v1/events?target=<id>), newest first,
// refreshed every few seconds: on its detail page, beside its tasks.
import { ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { api, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { eventColumns } from "./events-parts.tsx";

const REFRESH_MS = 10_000;
const PAGE = 5;

export function TargetEventsCard({ target, empty }: { target: string; empty: string }) {
  const paged = usePaged(
    ["events", { target }],
    async (cursor) =>
      unwrap(
        await api.GET("/api/v1/events", { params: { query: { cursor, limit: PAGE, target } } }),
      ),
    { refetchInterval: REFRESH_MS },
  );
  return (
    <ListCard
      title="Recent events"
      label="Recent events"
      columns={eventColumns(false).filter((c) => c.header !== "Target")}
      paged={paged}
      rowKey={(e) => e.id}
      empty={<EmptyState title={empty} />}
    />
  );
}
