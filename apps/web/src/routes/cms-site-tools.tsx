// A CMS site's Tools tab (docs/cms.md#tools): the file change scanner (cms-site-scans.tsx),
// unblocking an address (operators), a temporary administrator whose password is shown once
// (admins), and on a Joomla site Admin Tools' firewall and Akeeba Backup's backups. Each action
// shows only to those the site's `can` allows; readers see scans and backups.
import { useState } from "react";
import { ActionsWithError } from "../components/confirm-button.tsx";
import { TextField } from "../components/text-field.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { CmsSite } from "./cms-parts.tsx";
import { BackupsCard } from "./cms-site-backups.tsx";
import { ScannerCard } from "./cms-site-scans.tsx";
import { SecretValue } from "./profile-parts.tsx";

export function SiteTools({ site }: { site: CmsSite }) {
  return (
    <div className="grid gap-4">
      <ScannerCard site={site} />
      <div className="grid gap-4 lg:grid-cols-2">
        {site.can.useTools ? <UnblockCard site={site} /> : null}
        {site.can.manage ? <TemporaryAdminCard site={site} /> : null}
        {site.kind === "joomla" && site.can.manage ? <FirewallCard site={site} /> : null}
      </div>
      {site.kind === "joomla" ? <BackupsCard site={site} /> : null}
    </div>
  );
}

function UnblockCard({ site }: { site: CmsSite }) {
  const [ip, setIp] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const unblock = useApiMutation(
    async (address: string) =>
      unwrap(
        await api.POST("/api/v1/cms-sites/{id}/unblock", {
          params: { path: { id: site.id } },
          body: { ip: address },
        }),
      ),
    { onSuccess: (_out, address) => setDone(address) },
  );
  return (
    <Card title="Unblock an address">
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          unblock.mutate(ip.trim());
        }}
      >
        <p className="text-sm text-fg-muted">
          {site.kind === "wordpress"
            ? "The connector blocks an address for an hour after 5 failed logins in 15 minutes."
            : "Admin Tools' firewall lets the address in again."}
        </p>
        <TextField
          label="IP address"
          value={ip}
          onValue={setIp}
          error={fieldError(unblock.error, "ip")}
          placeholder="203.0.113.9"
          maxLength={45}
          code
        />
        <div className="flex flex-wrap items-center justify-end gap-2">
          {done ? <span className="text-sm">{done} unblocked.</span> : null}
          <Button type="submit" size="sm" busy={unblock.isPending} disabled={!ip.trim()}>
            Unblock
          </Button>
        </div>
        {unblock.error && !fieldError(unblock.error, "ip") ? (
          <ErrorAlert error={unblock.error} />
        ) : null}
      </form>
    </Card>
  );
}

const EXPIRIES = [
  { label: "1 hour", hours: 1 },
  { label: "1 day", hours: 24 },
  { label: "7 days", hours: 24 * 7 - 1 },
];

function TemporaryAdminCard({ site }: { site: CmsSite }) {
  const [hours, setHours] = useState(1);
  const make = useApiMutation(async () =>
    unwrap(
      await api.POST("/api/v1/cms-sites/{id}/temporary-admin", {
        params: { path: { id: site.id } },
        body: { expiresAt: new Date(Date.now() + hours * 3_600_000).toISOString() },
      }),
    ),
  );
  const made = make.data;
  return (
    <Card title="Temporary administrator">
      <div className="grid gap-3 text-sm">
        {made ? (
          <>
            <Alert tone="warn">
              Copy the password now: Steward does not keep it. The account is removed at{" "}
              {made.expiresAt.replace("T", " ").slice(0, 16)} UTC.
            </Alert>
            <SecretValue label="User name" value={made.username} />
            <SecretValue label="Password" value={made.password} />
            <div className="flex justify-end">
              <Button size="sm" variant="secondary" onClick={() => make.reset()}>
                Done
              </Button>
            </div>
          </>
        ) : (
          <>
            <p className="text-fg-muted">
              A real {site.kind === "wordpress" ? "administrator" : "Super User"} with a random
              password, removed when it expires.
            </p>
            <Field label="Expires after" error={fieldError(make.error, "expiresAt")}>
              <select
                className="h-9 rounded-md border border-border bg-surface px-2"
                value={hours}
                onChange={(e) => setHours(Number(e.target.value))}
              >
                {EXPIRIES.map((x) => (
                  <option key={x.hours} value={x.hours}>
                    {x.label}
                  </option>
                ))}
              </select>
            </Field>
            <ActionsWithError error={make.error}>
              <Button size="sm" busy={make.isPending} onClick={() => make.mutate()}>
                Create temporary administrator
              </Button>
            </ActionsWithError>
          </>
        )}
      </div>
    </Card>
  );
}

function FirewallCard({ site }: { site: CmsSite }) {
  const set = useApiMutation(async (enabled: boolean) =>
    unwrap(
      await api.POST("/api/v1/cms-sites/{id}/firewall", {
        params: { path: { id: site.id } },
        body: { enabled },
      }),
    ),
  );
  return (
    <Card title="Admin Tools firewall">
      <ActionsWithError error={set.error}>
        <div className="flex flex-wrap items-center gap-2">
          {set.data ? (
            <Badge tone={set.data.enabled ? "ok" : "warn"}>
              {set.data.enabled ? "enabled" : "disabled"}
            </Badge>
          ) : null}
          <Button size="sm" variant="secondary" onClick={() => set.mutate(false)}>
            Disable
          </Button>
          <Button size="sm" onClick={() => set.mutate(true)}>
            Enable
          </Button>
        </div>
      </ActionsWithError>
    </Card>
  );
}
