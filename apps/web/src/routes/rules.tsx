// Notification rules (one ListPage): which events go to which channels, each in words (types,
// severity, outcome, scope; quiet hours, repeat, flapping, grouping), enabled or not; a form
// to make or change one, deleting after a confirmation naming it. Super users also set the
// installation's emergency contact here.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { EditDeleteActions } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { EmergencyContact } from "./rules-emergency.tsx";
import { RuleDialog } from "./rules-form.tsx";
import { matchWords, type Rule, sendWords } from "./rules-words.ts";
import { AccountSelect, useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/rules");
const refresh = { invalidate: [["rules"]] };

function RuleActions({ rule }: { rule: Rule }) {
  const [editing, setEditing] = useState(false);
  const path = { params: { path: { id: rule.id } } };
  const toggle = useApiMutation(
    async () =>
      unwrap(
        await api.PATCH("/api/v1/notification-rules/{id}", {
          ...path,
          body: { enabled: !rule.enabled },
        }),
      ),
    refresh,
  );
  const remove = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/notification-rules/{id}", path)),
    refresh,
  );
  return (
    <>
      <EditDeleteActions
        noun="rule"
        name={rule.name}
        consequence="What it matches is no longer sent to its channels."
        remove={remove}
        onEdit={() => setEditing(true)}
        error={toggle.error}
      >
        <Button
          size="sm"
          variant="secondary"
          busy={toggle.isPending}
          onClick={() => toggle.mutate()}
        >
          {rule.enabled ? "Disable" : "Enable"}
        </Button>
      </EditDeleteActions>
      <RuleDialog rule={rule} open={editing} onOpenChange={setEditing} />
    </>
  );
}

function columns(accountName: (id: string | null) => string): Column<Rule>[] {
  return [
    {
      header: "Rule",
      cell: (r) => (
        <span className="grid gap-0.5">
          <span className="font-medium wrap-anywhere">{r.name}</span>
          <Note>{r.accountId ? accountName(r.accountId) : "the installation"}</Note>
        </span>
      ),
    },
    {
      header: "Matches",
      cell: (r) => <span className="text-sm wrap-anywhere">{matchWords(r.settings)}</span>,
    },
    {
      header: "Sends to",
      wide: true,
      cell: (r) => (
        <span className="grid gap-0.5">
          <span className="wrap-anywhere">{r.channels.map((c) => c.name).join(", ")}</span>
          {sendWords(r.settings).map((words) => (
            <Note key={words}>{words}</Note>
          ))}
        </span>
      ),
    },
    {
      header: "State",
      wide: true,
      cell: (r) => (
        <Badge tone={r.enabled ? "ok" : "neutral"}>{r.enabled ? "enabled" : "disabled"}</Badge>
      ),
    },
    { header: "Actions", cell: (r) => <RuleActions rule={r} />, className: "text-right" },
  ];
}

export function RulesPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/rules", search);
  const me = useMe();
  const accountName = useAccountName();
  const [creating, setCreating] = useState(false);
  const account = search.account || undefined;
  const paged = usePaged(["rules", { account }], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/notification-rules", {
        params: { query: { cursor, limit, account } },
      }),
    ),
  );
  return (
    <>
      <ListPage
        title="Notification rules"
        description="Which events go to which channels, and how often: quiet hours, repeats, flapping and grouping. A critical event no rule takes goes to the emergency contact."
        actions={
          <AddButton label="New rule" can="createChannel" onClick={() => setCreating(true)} />
        }
        filters={{
          ...filters,
          controls: (
            <AccountSelect
              value={account ?? ""}
              onChange={(v) => filters.set({ account: v || undefined })}
            />
          ),
        }}
        aside={me.can.manageNotifications ? <EmergencyContact /> : undefined}
        label="Notification rules"
        columns={columns(accountName)}
        paged={paged}
        rowKey={(r) => r.id}
        empty={
          <EmptyState title="No rules yet.">
            Add one with “New rule”: for example every monitor. event to a webhook or an email
            channel.
          </EmptyState>
        }
      />
      <RuleDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
