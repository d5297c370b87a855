// Notification channels (one ListPage): where Steward sends what goes wrong. Each with its
// kind, owner, whether it is enabled and its last test; "Send test" shows the provider's
// answer; editing keeps secrets that are left empty; deleting asks first.
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { EditDeleteActions } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { FilterText, ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { type Channel, ChannelDialog } from "./channel-form.tsx";
import { type ChannelKind, isChannelKind, KINDS } from "./channel-kinds.ts";
import { SendTestButton } from "./channel-test.tsx";
import { When } from "./hosting-parts.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/channels");

function ChannelActions({ channel }: { channel: Channel }) {
  const [editing, setEditing] = useState(false);
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/notification-channels/{id}", {
          params: { path: { id: channel.id } },
        }),
      ),
    { invalidate: [["channels"]] },
  );
  return (
    <>
      <EditDeleteActions
        noun="channel"
        name={channel.name}
        consequence="Nothing is sent to it any more. Its settings and secrets are removed."
        remove={remove}
        onEdit={() => setEditing(true)}
      >
        <SendTestButton channel={channel} />
        <Link
          to="/channels/$id/deliveries"
          params={{ id: channel.id }}
          className="inline-flex items-center px-2 text-sm font-medium text-primary hover:underline"
        >
          Deliveries
        </Link>
      </EditDeleteActions>
      <ChannelDialog channel={channel} open={editing} onOpenChange={setEditing} />
    </>
  );
}

function columns(accountName: (id: string | null) => string): Column<Channel>[] {
  return [
    {
      header: "Channel",
      cell: (c) => (
        <span className="grid gap-0.5">
          <span className="font-medium wrap-anywhere">{c.name}</span>
          <Note>{c.accountId ? accountName(c.accountId) : "the installation"}</Note>
        </span>
      ),
    },
    { header: "Kind", cell: (c) => KINDS[c.kind as ChannelKind]?.label ?? c.kind, wide: true },
    {
      header: "State",
      wide: true,
      cell: (c) => (
        <Badge tone={c.enabled ? "ok" : "neutral"}>{c.enabled ? "enabled" : "disabled"}</Badge>
      ),
    },
    {
      header: "Last test",
      wide: true,
      cell: (c) =>
        c.lastTest ? (
          <span className="grid gap-0.5">
            <span className="flex items-center gap-2">
              <Badge tone={c.lastTest.ok ? "ok" : "danger"}>
                {c.lastTest.ok ? "delivered" : "failed"}
              </Badge>
              <When iso={c.lastTest.at} />
            </span>
            {c.lastTest.error ? <Note>{c.lastTest.error}</Note> : null}
          </span>
        ) : (
          <Note>never tested</Note>
        ),
    },
    { header: "Actions", cell: (c) => <ChannelActions channel={c} />, className: "text-right" },
  ];
}

export function ChannelsPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/channels", search);
  const accountName = useAccountName();
  const [creating, setCreating] = useState(false);
  const kind = isChannelKind(search.kind) ? search.kind : undefined;
  const paged = usePaged(["channels", { kind, q: search.q }], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/notification-channels", {
        params: { query: { cursor, limit, kind, q: search.q } },
      }),
    ),
  );
  return (
    <>
      <ListPage
        title="Notification channels"
        description="Where Steward tells people that something is wrong: email, webhooks, chat and push services. Secrets are stored sealed and never shown again."
        actions={
          <AddButton label="New channel" can="createChannel" onClick={() => setCreating(true)} />
        }
        filters={{
          ...filters,
          controls: (
            <>
              <FilterText
                label="Search channels"
                placeholder="Name starts with"
                value={search.q}
                onChange={(q) => filters.set({ q })}
              />
              <EnumSelect
                label="Kind"
                allLabel="All kinds"
                options={Object.entries(KINDS).map(([value, k]) => ({ value, label: k.label }))}
                value={kind}
                onChange={(v) => filters.set({ kind: v })}
              />
            </>
          ),
        }}
        label="Notification channels"
        columns={columns(accountName)}
        paged={paged}
        rowKey={(c) => c.id}
        empty={
          <EmptyState title="No channels yet.">
            Add one with “New channel”, then send it a test.
          </EmptyState>
        }
      />
      <ChannelDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
