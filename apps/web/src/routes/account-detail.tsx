// One account: what it is and its members (users and groups with their role on it): add one,
// change a role, remove one.
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";
import { PrincipalCell } from "./access-grants.tsx";
import { DetailPage, useDeleted } from "./access-parts.tsx";
import { RoleBadge } from "./access-roles.tsx";
import { AddMemberDialog, type Member, MemberActions } from "./account-members.tsx";
import { type Account, AccountActions } from "./accounts.tsx";
import { AccountSizesCard } from "./database-account-sizes.tsx";
import { AccountMailUsageCard } from "./mail-account-usage.tsx";
import { useRecord } from "./record-query.ts";

const route = getRouteApi("/app/accounts/$id");

export function AccountDetailPage() {
  const { id } = route.useParams();
  const deleted = useDeleted();
  const account = useRecord("account", id);
  return (
    <DetailPage
      query={account}
      back={{ to: "/accounts", label: "Accounts" }}
      header={(a) => ({
        title: a.name,
        description: <span className="font-mono break-all">{a.slug}</span>,
        actions: (
          <AccountActions
            account={a}
            afterDelete={() => deleted(`Account ${a.name} deleted.`, "/accounts")}
          />
        ),
      })}
    >
      {(a) => (
        <div className="grid gap-6">
          <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
            <dt className="text-fg-muted">Created</dt>
            <dd>{formatDateTime(a.createdAt)}</dd>
            <dt className="text-fg-muted">Id</dt>
            <dd className="font-mono text-xs break-all">{a.id}</dd>
          </dl>
          <MembersCard account={a} />
          <AccountSizesCard accountId={a.id} link />
          <AccountMailUsageCard accountId={a.id} link />
        </div>
      )}
    </DetailPage>
  );
}

function MembersCard({ account }: { account: Account }) {
  const me = useMe();
  const [adding, setAdding] = useState(false);
  const paged = usePaged(["account", account.id, "members"], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/accounts/{id}/members", {
        params: { path: { id: account.id }, query: { cursor, limit } },
      }),
    ),
  );
  const columns: Column<Member>[] = [
    {
      header: "Member",
      cell: (m) => (
        <span className="grid min-w-0 gap-1.5">
          <PrincipalCell type={m.principalType} id={m.principalId} name={m.name} link={me.super} />
          {/* narrow screens show the role here, without a column of its own */}
          <span className="md:hidden">
            <RoleBadge value={m.role} />
          </span>
        </span>
      ),
    },
    { header: "Role", cell: (m) => <RoleBadge value={m.role} />, wide: true },
    {
      header: "Actions",
      cell: (m) => <MemberActions account={account} member={m} />,
      className: "text-right",
    },
  ];
  return (
    <ListCard
      title="Members"
      actions={<AddButton size="sm" label="Add member" onClick={() => setAdding(true)} />}
      intro={
        <>
          The users and groups with a role on this account. Users also get roles through their
          groups and from global grants; an explicit none
          {me.super ? (
            <>
              {" "}
              (set on the{" "}
              <Link to="/grants" className="text-primary underline">
                Grants
              </Link>{" "}
              page)
            </>
          ) : null}{" "}
          blocks those. Super users are admin everywhere.
        </>
      }
      label="Members"
      columns={columns}
      paged={paged}
      rowKey={(m) => m.grantId}
      empty={
        <EmptyState title="No members yet.">
          Only super users can see this account. Give a user or a group a role on it with “Add
          member”.
        </EmptyState>
      }
    >
      <AddMemberDialog account={account} open={adding} onOpenChange={setAdding} />
    </ListCard>
  );
}
