// A channel's delivery log (one ListPage): each message sent or to be sent to the channel,
// newest first, with its state, attempts and when it is retried; opened, the request sent and
// the provider's answer (secrets redacted by the API). Filters (state, since a day) live in the
// URL; the log refreshes itself while a delivery is pending or sending, and on "Refresh".
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { RefreshCw } from "lucide-react";
import type { Column } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Field } from "../components/ui/field.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { dayStart } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";
import { BackLink } from "./access-parts.tsx";
import { isOneOf, When } from "./hosting-parts.tsx";
import { JsonText, SinceField } from "./tasks-parts.tsx";

type Delivery = Item<"/api/v1/notification-channels/{id}/deliveries">;
const route = getRouteApi("/app/channels/$id/deliveries");

export const DELIVERY_STATES = ["pending", "sending", "sent", "failed", "dropped"] as const;
const isState = isOneOf(DELIVERY_STATES);
const tones: Record<string, BadgeTone> = {
  pending: "info",
  sending: "info",
  sent: "ok",
  failed: "danger",
  dropped: "neutral",
};
const busy = (d: Delivery) => d.state === "pending" || d.state === "sending";

function DeliveryDetails({ delivery: d }: { delivery: Delivery }) {
  return (
    <details className="grid gap-2">
      <summary className="cursor-pointer text-sm font-medium text-primary">
        Request and answer
      </summary>
      <div className="mt-2 grid gap-2 text-sm">
        {d.error ? <p className="wrap-anywhere text-danger">{d.error}</p> : null}
        <h3 className="font-medium">The provider's answer ({d.status ?? "no answer"})</h3>
        <JsonText value={d.response ?? "(none)"} />
        {d.request ? (
          <>
            <h3 className="font-medium">
              The request: {d.request.method}{" "}
              <span className="font-mono break-all">{d.request.url}</span>
            </h3>
            <JsonText value={d.request.headers} />
            <JsonText value={d.request.body} />
          </>
        ) : (
          <Note>Not sent yet.</Note>
        )}
      </div>
    </details>
  );
}

const columns: Column<Delivery>[] = [
  {
    header: "Event",
    cell: (d) => (
      <span className="grid gap-0.5">
        <span className="font-mono text-sm">{d.eventType}</span>
        {d.eventCount > 1 ? <Note>a digest of {d.eventCount} events</Note> : null}
        {d.flapping ? (
          <Note>
            flapping: {d.flapping.changes} changes in {d.flapping.windowMinutes} min
          </Note>
        ) : null}
        <Note>{d.ruleId ? `rule ${d.ruleId}` : "the emergency contact"}</Note>
      </span>
    ),
  },
  {
    header: "State",
    cell: (d) => (
      <span className="grid justify-items-start gap-0.5">
        <Badge tone={tones[d.state] ?? "neutral"}>{d.state}</Badge>
        <Note>
          {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
        </Note>
        {busy(d) ? (
          <Note>
            next try <When iso={d.dueAt} />
          </Note>
        ) : null}
      </span>
    ),
  },
  {
    header: "When",
    wide: true,
    cell: (d) => (
      <span className="grid gap-0.5">
        <When iso={d.createdAt} />
        {d.sentAt ? (
          <Note>
            sent <When iso={d.sentAt} />
          </Note>
        ) : null}
      </span>
    ),
  },
  { header: "Details", cell: (d) => <DeliveryDetails delivery={d} /> },
];

export function ChannelDeliveriesPage() {
  const { id } = route.useParams();
  const search = route.useSearch();
  const navigate = useNavigate();
  const set = (patch: { state?: string; since?: string }) =>
    void navigate({
      to: "/channels/$id/deliveries",
      params: { id },
      search: { ...search, ...patch },
      replace: true,
    });
  const state = isState(search.state) ? search.state : undefined;
  const from = dayStart(search.since);
  const channel = useQuery({
    queryKey: ["channels", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/notification-channels/{id}", { params: { path: { id } } })),
  });
  const paged = usePaged(
    ["deliveries", id, { state, from }],
    async (cursor, limit) =>
      unwrap(
        await api.GET("/api/v1/notification-channels/{id}/deliveries", {
          params: { path: { id }, query: { cursor, limit, state, from } },
        }),
      ),
    { refetchInterval: (q) => (q.state.data?.items.some(busy) ? 2_000 : false) },
  );
  return (
    <>
      <BackLink to="/channels" label="Channels" />
      <ListPage
        title={`Deliveries to ${channel.data?.name ?? "the channel"}`}
        description="Each message sent to this channel, newest first: its state, its attempts (failures are retried with backoff) and, opened, the request and the provider's answer with secrets redacted."
        actions={
          <Button
            variant="secondary"
            busy={paged.query.isFetching}
            onClick={() => void paged.query.refetch()}
          >
            <RefreshCw className="h-4 w-4" aria-hidden="true" /> Refresh
          </Button>
        }
        filters={{
          active: Boolean(state || search.since),
          className: "flex flex-wrap items-start gap-3",
          clear: () => set({ state: undefined, since: undefined }),
          controls: (
            <>
              <Field className="content-start" label="State">
                <EnumSelect
                  label="State"
                  allLabel="Any state"
                  options={DELIVERY_STATES}
                  value={state}
                  onChange={(v) => set({ state: v })}
                />
              </Field>
              <SinceField value={search.since} onChange={(since) => set({ since })} />
            </>
          ),
        }}
        label="Deliveries"
        columns={columns}
        paged={paged}
        rowKey={(d) => d.id}
        empty={
          <EmptyState title="Nothing sent to this channel yet.">
            A rule sends to it when an event it matches happens; “Send test” on the Channels page
            tries the channel without one.
          </EmptyState>
        }
      />
    </>
  );
}
