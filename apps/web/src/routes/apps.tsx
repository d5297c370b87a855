// The apps of an account: each with its state at a glance (running, deploying, stopped,
// failed), image and published ports; "New quick service" creates one from an image, "New
// from git" one built from a repository.
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { formatRelative } from "../lib/format.ts";
import { useMe } from "../lib/session.ts";
import { CatalogForm, ComposeForm } from "./app-compose-form.tsx";
import { AppForm } from "./app-form.tsx";
import { AppGitForm } from "./app-git-form.tsx";
import { AppStatus, portsText, useApps } from "./apps-parts.tsx";
import { NodeLink } from "./hosting-parts.tsx";
import { useAccounts } from "./tasks-parts.tsx";

export function AppsPage() {
  const me = useMe();
  const accounts = useAccounts();
  const [account, setAccount] = useState<string>();
  const [creating, setCreating] = useState<"" | "image" | "git" | "compose" | "catalog">("");
  useEffect(() => {
    if (!account && accounts.data?.[0]) setAccount(accounts.data[0].id);
  }, [account, accounts.data]);
  const apps = useApps(account);
  return (
    <>
      <PageHeader
        title="Apps"
        description="Containers on the nodes' engines: quick services from an image or built from a git repository, compose stacks and one-click apps, their state, logs and stats."
        actions={
          me.can.createSite && !creating ? (
            <div className="flex flex-wrap gap-2">
              <Button onClick={() => setCreating("image")}>New quick service</Button>
              <Button variant="secondary" onClick={() => setCreating("compose")}>
                New compose stack
              </Button>
              <Button variant="secondary" onClick={() => setCreating("catalog")}>
                New one-click app
              </Button>
              <Button variant="secondary" onClick={() => setCreating("git")}>
                New from git
              </Button>
            </div>
          ) : undefined
        }
      />
      <div className="grid gap-4">
        {creating === "image" && account ? (
          <AppForm account={account} onDone={() => setCreating("")} />
        ) : null}
        {creating === "git" && account ? (
          <AppGitForm account={account} onDone={() => setCreating("")} />
        ) : null}
        {creating === "compose" && account ? (
          <ComposeForm account={account} onDone={() => setCreating("")} />
        ) : null}
        {creating === "catalog" && account ? (
          <CatalogForm account={account} onDone={() => setCreating("")} />
        ) : null}
        <Field label="Account" className="max-w-xs">
          <Select value={account ?? ""} onChange={(e) => setAccount(e.target.value)}>
            {(accounts.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </Field>
        <Card>
          {apps.data && apps.data.length === 0 ? (
            <EmptyState title="No apps in this account.">
              Create one with “New quick service”, “New from git”, “New compose stack” or “New
              one-click app”.
            </EmptyState>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-fg-muted">
                <tr>
                  <th className="py-2 pr-3 font-medium">Name</th>
                  <th className="py-2 pr-3 font-medium">State</th>
                  <th className="py-2 pr-3 font-medium">Image</th>
                  <th className="py-2 pr-3 font-medium">Ports</th>
                  <th className="py-2 pr-3 font-medium">Node</th>
                  <th className="py-2 font-medium">Changed</th>
                </tr>
              </thead>
              <tbody>
                {(apps.data ?? []).map((a) => (
                  <tr key={a.id} className="border-t border-border">
                    <td className="py-2 pr-3">
                      <Link
                        to="/apps/$id"
                        params={{ id: a.id }}
                        className="font-medium text-primary hover:underline"
                      >
                        {a.name}
                      </Link>
                    </td>
                    <td className="py-2 pr-3">
                      <AppStatus status={a.status} />
                    </td>
                    <td className="py-2 pr-3 font-mono text-xs break-all">{a.image}</td>
                    <td className="py-2 pr-3 font-mono text-xs">{portsText(a.ports)}</td>
                    <td className="py-2 pr-3">
                      <NodeLink id={a.nodeId} />
                    </td>
                    <td className="py-2 text-fg-muted">{formatRelative(a.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
