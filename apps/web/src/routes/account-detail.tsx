// One account: what it is and its members (users and groups with their role on it): add one,
// change a role, remove one.
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { type Column, DataTable } from "../components/data-table.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";
import {
  PrincipalCell,
  type PrincipalType,
  type Role,
  RoleBadge,
  RoleChoice,
} from "./access-grants.tsx";
import { BackLink, DetailState } from "./access-parts.tsx";
import { GroupPicker, type Picked, RadioChoice, UserPicker } from "./access-pickers.tsx";
import { type Account, AccountActions } from "./accounts.tsx";

const route = getRouteApi("/app/accounts/$id");
type Member = Item<"/api/v1/accounts/{id}/members">;
type MemberRole = Exclude<Role, "none">;

export function AccountDetailPage() {
  const { id } = route.useParams();
  const navigate = useNavigate();
  const account = useQuery({
    queryKey: ["account", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/accounts/{id}", { params: { path: { id } } })),
  });
  const back = <BackLink to="/accounts" label="Accounts" />;
  if (!account.data) return <DetailState query={account} back={back} />;
  const a = account.data;
  return (
    <>
      {back}
      <PageHeader
        title={a.name}
        description={<span className="font-mono break-all">{a.slug}</span>}
        actions={<AccountActions account={a} afterDelete={() => navigate({ to: "/accounts" })} />}
      />
      <div className="grid gap-6">
        <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
          <dt className="text-fg-muted">Created</dt>
          <dd>{formatDateTime(a.createdAt)}</dd>
          <dt className="text-fg-muted">Id</dt>
          <dd className="font-mono text-xs break-all">{a.id}</dd>
        </dl>
        <MembersCard account={a} />
      </div>
    </>
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
    <Card
      title="Members"
      actions={
        <Button size="sm" onClick={() => setAdding(true)}>
          <Plus className="h-4 w-4" aria-hidden="true" /> Add member
        </Button>
      }
    >
      <div className="grid gap-4">
        <p className="text-sm text-fg-muted">
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
        </p>
        <DataTable
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
        />
      </div>
      <AddMemberDialog account={account} open={adding} onOpenChange={setAdding} />
    </Card>
  );
}

const memberInvalidate = (accountId: string) => [["account", accountId], ["grants"]];

function MemberActions({ account, member }: { account: Account; member: Member }) {
  const confirm = useConfirm();
  const setRole = useApiMutation(
    async (role: MemberRole) =>
      unwrap(
        await api.POST("/api/v1/accounts/{id}/members", {
          params: { path: { id: account.id } },
          body: { principalType: member.principalType, principalId: member.principalId, role },
        }),
      ),
    { invalidate: memberInvalidate(account.id) },
  );
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/accounts/{id}/members/{principalType}/{principalId}", {
          params: {
            path: {
              id: account.id,
              principalType: member.principalType,
              principalId: member.principalId,
            },
          },
        }),
      ),
    { invalidate: memberInvalidate(account.id) },
  );
  return (
    <div className="grid justify-items-end gap-1">
      <div className="flex flex-wrap justify-end gap-2">
        <Select
          aria-label={`Change the role of ${member.name}`}
          className="h-8 w-36"
          value=""
          disabled={setRole.isPending}
          onChange={(e) => {
            const role = e.target.value as MemberRole | "";
            if (role) setRole.mutate(role);
          }}
        >
          <option value="">Change role…</option>
          {(["read", "operate", "admin"] as const)
            .filter((r) => r !== member.role)
            .map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
        </Select>
        <Button
          size="sm"
          variant="secondary"
          busy={remove.isPending}
          aria-label={`Remove ${member.name}`}
          onClick={async () => {
            const ok = await confirm({
              title: "Remove this member?",
              description: (
                <span className="wrap-anywhere">
                  {member.principalType === "group" ? "The group " : ""}
                  <strong className="break-all">{member.name}</strong>{" "}
                  {member.role === "none"
                    ? "no longer has an explicit none here: wider grants apply again."
                    : `loses the ${member.role} role on ${account.name}. Roles from groups and global grants stay.`}
                </span>
              ),
              confirmLabel: "Remove member",
            });
            if (ok) remove.mutate(undefined);
          }}
        >
          Remove
        </Button>
      </div>
      <ErrorAlert error={setRole.error ?? remove.error} />
    </div>
  );
}

function AddMemberDialog({
  account,
  open,
  onOpenChange,
}: {
  account: Account;
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Add a member"
      description={
        <span className="wrap-anywhere">
          Gives a user or a group a role on {account.name}, or changes the role they have.
        </span>
      }
    >
      {open ? <AddMemberForm account={account} onDone={() => onOpenChange(false)} /> : null}
    </Dialog>
  );
}

function AddMemberForm({ account, onDone }: { account: Account; onDone: () => void }) {
  const me = useMe();
  const [type, setType] = useState<PrincipalType>("user");
  const [picked, setPicked] = useState<Picked | null>(null);
  const [typedId, setTypedId] = useState("");
  const [role, setRole] = useState<Role>("read");
  const add = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/accounts/{id}/members", {
          params: { path: { id: account.id } },
          body: {
            principalType: type,
            principalId: me.super ? (picked?.id ?? "") : typedId.trim(),
            role: role as MemberRole,
          },
        }),
      ),
    { invalidate: memberInvalidate(account.id), onSuccess: onDone },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(undefined);
  };
  const idError = fieldError(add.error, "principalId");
  return (
    <form className="grid gap-5" onSubmit={submit} noValidate>
      <div className="grid gap-3">
        <RadioChoice
          legend="Member"
          value={type}
          onChange={(t) => {
            setType(t);
            setPicked(null);
          }}
          options={[
            { value: "user", label: "A user" },
            { value: "group", label: "A group", hint: "Every member gets the role." },
          ]}
        />
        {!me.super ? (
          <Field
            label={type === "user" ? "User id" : "Group id"}
            hint="Ask a super user for it."
            error={idError}
          >
            <Input
              value={typedId}
              onChange={(e) => setTypedId(e.target.value)}
              maxLength={64}
              autoComplete="off"
              className="font-mono"
            />
          </Field>
        ) : type === "user" ? (
          <UserPicker label="User" value={picked} onChange={setPicked} error={idError} />
        ) : (
          <GroupPicker
            label="Group"
            value={picked}
            onChange={setPicked}
            error={idError}
            taken={{ ids: new Set(["super"]), reason: "Admin everywhere already." }}
          />
        )}
      </div>
      <RoleChoice
        value={role}
        onChange={setRole}
        allowNone={false}
        error={fieldError(add.error, "role")}
      />
      <ErrorAlert error={unshownError(add.error, ["principalId", "role"])} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" busy={add.isPending}>
          Add member
        </Button>
      </div>
    </form>
  );
}
