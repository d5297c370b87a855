// System users of an account (docs/hosting.md): its main user on each node (with its CGI
// user), secondary users and their homes, shell access, FTP, keys, whether a password is set
// and the state of the node's apply, and what each home holds (system-user-usage.tsx). The
// account's admins create users, change their keys, reset passwords and delete them (after
// typing the name).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { formatRelative } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { toast } from "../lib/toast.ts";
import { NodeLink } from "./hosting-parts.tsx";
import { SitesToMove } from "./sites-to-move.tsx";
import { KeysButton, PasswordButton, QuotaButton } from "./system-user-actions.tsx";
import { SHELLS, SystemUserForm } from "./system-user-form.tsx";
import { UsageCell, UsageTotal, useDiskUsage } from "./system-user-usage.tsx";
import { useAccounts } from "./tasks-parts.tsx";

/** A system user as the list answers it (GET one adds its usage). */
export type SysUser = Item<"/api/v1/system-users">;

const TONES: Record<string, BadgeTone> = {
  applied: "ok",
  pending: "info",
  deleting: "info",
  failed: "danger",
};

function useSystemUsers(account: string | undefined) {
  return useQuery({
    queryKey: ["system-users", account],
    enabled: Boolean(account),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/system-users", { params: { query: { account: account ?? "" } } }),
      ).items,
    refetchInterval: (q) =>
      q.state.data?.some((u) => u.status === "pending" || u.status === "deleting") ? 2_000 : false,
  });
}

function Actions({ user }: { user: SysUser }) {
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/system-users/{id}", {
          params: { path: { id: user.id }, query: { confirm: user.name } },
        }),
      ),
    { invalidate: [["system-users"]], onSuccess: () => toast(`${user.name} is being deleted`) },
  );
  return (
    <ActionsWithError error={remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <KeysButton user={user} />
        <PasswordButton user={user} />
        <QuotaButton user={user} />
        <ConfirmButton
          size="sm"
          variant="danger"
          mutation={remove}
          disabled={user.status === "deleting"}
          confirm={{
            title: `Delete the system user ${user.name}?`,
            description:
              user.kind === "main"
                ? "Its node loses the account's users, SFTP and FTP logins; the files stay on the node."
                : "It can no longer log in; its home and files go to the account's main user.",
            confirmLabel: "Delete user",
            typeToConfirm: user.name,
          }}
        >
          Delete
        </ConfirmButton>
      </div>
    </ActionsWithError>
  );
}

function access(u: SysUser) {
  const ssh = u.shell === "none" ? "no SSH" : u.shell === "sftp" ? "SFTP" : "restricted shell";
  return [ssh, u.ftp ? "FTP" : null].filter(Boolean).join(" · ");
}

export function SystemUsersPage() {
  const me = useMe();
  const accounts = useAccounts();
  const [account, setAccount] = useState<string>();
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    if (!account && accounts.data?.[0]) setAccount(accounts.data[0].id);
  }, [account, accounts.data]);
  const users = useSystemUsers(account);
  const disk = useDiskUsage(account);
  const usageOf = new Map((disk.data?.users ?? []).map((u) => [u.id, u.usage]));
  const mainNodes = (users.data ?? []).filter((u) => u.kind === "main").map((u) => u.nodeId);
  const appliedMains = (users.data ?? [])
    .filter((u) => u.kind === "main" && u.status === "applied")
    .map((u) => u.nodeId);
  return (
    <>
      <PageHeader
        title="System users"
        description="Logins of an account on its nodes: SFTP chrooted in the account, FTP, SSH keys. The main user owns the files; its CGI user runs PHP and can only read them."
        actions={
          me.can.createSite ? (
            <Button onClick={() => setCreating(true)}>New system user</Button>
          ) : undefined
        }
      />
      <FormDialog open={creating} onOpenChange={setCreating} title="New system user">
        {(done) =>
          account ? <SystemUserForm account={account} mainNodes={mainNodes} done={done} /> : null
        }
      </FormDialog>
      <div className="grid gap-4">
        <Field label="Account" className="max-w-xs">
          <Select value={account ?? ""} onChange={(e) => setAccount(e.target.value)}>
            {(accounts.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </Field>
        <UsageTotal usage={disk.data} />
        <Card>
          {users.data && users.data.length === 0 ? (
            <EmptyState title="No system users in this account.">
              Create its main user on a node with “New system user”.
            </EmptyState>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-fg-muted">
                <tr>
                  <th className="py-2 pr-3 font-medium">Login</th>
                  <th className="py-2 pr-3 font-medium">Access</th>
                  <th className="py-2 pr-3 font-medium">Keys</th>
                  <th className="py-2 pr-3 font-medium">Disk usage</th>
                  <th className="py-2 pr-3 font-medium">State</th>
                  <th className="py-2 pr-3 font-medium">Node</th>
                  <th className="py-2 text-right font-medium">Actions</th>
                </tr>
              </thead>
              <tbody>
                {(users.data ?? []).map((u) => (
                  <tr key={u.id} className="border-t border-border align-top">
                    <td className="py-2 pr-3">
                      <span className="grid gap-0.5">
                        <span className="font-mono font-medium">{u.name}</span>
                        <Note>
                          {u.kind === "main"
                            ? `main user · CGI user ${u.cgiUser}`
                            : `home /home/${u.home}`}
                        </Note>
                      </span>
                    </td>
                    <td className="py-2 pr-3" title={SHELLS[u.shell]}>
                      <span className="grid gap-0.5">
                        <span className="whitespace-nowrap">{access(u)}</span>
                        <Note>{u.hasPassword ? "password set" : "keys only"}</Note>
                      </span>
                    </td>
                    <td className="py-2 pr-3">
                      <span className="grid gap-0.5">
                        {u.keys.length ? (
                          u.keys.map((k) => <Note key={k.line}>{`${k.type} ${k.comment}`}</Note>)
                        ) : (
                          <Note>none</Note>
                        )}
                      </span>
                    </td>
                    <td className="py-2 pr-3">
                      <UsageCell usage={usageOf.get(u.id)} quota={u} />
                    </td>
                    <td className="py-2 pr-3">
                      <span className="grid justify-items-start gap-1">
                        <Badge tone={TONES[u.status] ?? "neutral"}>{u.status}</Badge>
                        {u.lastError ? (
                          <Note>{u.lastError}</Note>
                        ) : (
                          <Note>{formatRelative(u.updatedAt)}</Note>
                        )}
                      </span>
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap">
                      <NodeLink id={u.nodeId} />
                    </td>
                    <td className="py-2">{me.can.createSite ? <Actions user={u} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        {account ? <SitesToMove account={account} nodes={appliedMains} /> : null}
      </div>
    </>
  );
}
