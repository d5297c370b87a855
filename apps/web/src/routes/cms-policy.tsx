// Update policies in the console (docs/cms.md#update-policies): the editor of an account's
// defaults or a site's own policy (level, stable versions only, a window in the site's time
// zone, the home page's keyword), a site's effective policy with each offer judged, and its
// update history.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ApiForm, useFieldError } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { When } from "./hosting-parts.tsx";

type SitePolicy = Awaited<ReturnType<typeof fetchSitePolicy>>;
export type UpdatePolicy = SitePolicy["policies"][number];
type Level = UpdatePolicy["level"];
type Window = NonNullable<UpdatePolicy["window"]>;
type Day = Window["days"][number];

const LEVELS: { value: Level; label: string }[] = [
  { value: "none", label: "None: leave updates alone" },
  { value: "notify", label: "Notify only" },
  { value: "patch", label: "Patch updates (1.2.3 → 1.2.4)" },
  { value: "minor", label: "Minor updates (1.2 → 1.3)" },
  { value: "major", label: "Major updates (1.x → 2.0)" },
];
const DAYS: Day[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export const policyKeys = {
  site: (id: string) => ["cms-sites", "one", id, "policy"] as const,
  history: (id: string) => ["cms-sites", "one", id, "history"] as const,
  account: (account: string) => ["update-policies", account] as const,
};

async function fetchSitePolicy(id: string) {
  return unwrap(await api.GET("/api/v1/cms-sites/{id}/policy", { params: { path: { id } } }));
}

export const windowText = (w: Window | null) =>
  w
    ? `${w.start} for ${w.durationMinutes} min, ${w.days.length === 7 ? "every day" : w.days.join(", ")}`
    : "any time";

interface PolicyInput {
  account: string;
  site: string | null;
  level: Level;
  stableOnly: boolean;
  window: { start: string; durationMinutes: number; days: Day[] } | null;
  keyword: string | null;
}

/** The editor of the account's defaults (no site) or a site's own policy. */
export function PolicyDialog({
  open,
  onOpenChange,
  account,
  site,
  current,
}: DialogProps & { account: string; site: string | null; current: UpdatePolicy | null }) {
  const save = useApiMutation(
    async (body: PolicyInput) => unwrap(await api.PUT("/api/v1/update-policies", { body })),
    {
      invalidate: [site ? policyKeys.site(site) : policyKeys.account(account)],
      onSuccess: () => onOpenChange(false),
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title={site ? "The site's update policy" : "Update defaults of the account"}
      description={
        site
          ? "Decides over the account's defaults for this site. The window is read in the site's time zone."
          : "For every site of the account without a policy of its own; each window is read in its site's time zone."
      }
    >
      {(done) => (
        <PolicyForm
          account={account}
          site={site}
          current={current}
          mutation={save}
          onCancel={done}
        />
      )}
    </FormDialog>
  );
}

function PolicyForm({
  account,
  site,
  current,
  mutation,
  onCancel,
}: {
  account: string;
  site: string | null;
  current: UpdatePolicy | null;
  mutation: Parameters<typeof ApiForm<PolicyInput>>[0]["mutation"];
  onCancel: () => void;
}) {
  const [level, setLevel] = useState<Level>(current?.level ?? "minor");
  const [stableOnly, setStableOnly] = useState(current?.stableOnly ?? true);
  const [windowed, setWindowed] = useState(Boolean(current?.window));
  const [start, setStart] = useState(current?.window?.start ?? "05:00");
  const [duration, setDuration] = useState(String(current?.window?.durationMinutes ?? 120));
  const [days, setDays] = useState<Day[]>(current?.window?.days ?? DAYS);
  const [keyword, setKeyword] = useState(current?.keyword ?? "");
  const daysError = useFieldError("window.days");
  return (
    <ApiForm
      mutation={mutation}
      input={{
        account,
        site,
        level,
        stableOnly,
        window: windowed ? { start: start.trim(), durationMinutes: Number(duration), days } : null,
        keyword: keyword.trim() ? keyword.trim() : null,
      }}
      shown={["level", "window.start", "window.durationMinutes", "window.days", "keyword"]}
      submitLabel="Save policy"
      onCancel={onCancel}
    >
      <Field label="Updates applied on their own">
        <Select value={level} onChange={(e) => setLevel(e.target.value as Level)}>
          {LEVELS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </Select>
      </Field>
      <Check
        label="Stable versions only (no beta, RC)"
        checked={stableOnly}
        onChange={setStableOnly}
      />
      <Check label="Only inside an update window" checked={windowed} onChange={setWindowed} />
      {windowed ? (
        <fieldset className="grid gap-3 rounded-md border border-border p-3">
          <legend className="px-1 text-sm font-medium">Update window</legend>
          <div className="grid grid-cols-2 gap-3">
            <TextField
              label="From (local time)"
              field="window.start"
              value={start}
              onValue={setStart}
              maxLength={5}
              code
            />
            <TextField
              label="For (minutes)"
              field="window.durationMinutes"
              value={duration}
              onValue={setDuration}
              inputMode="numeric"
              maxLength={4}
            />
          </div>
          <fieldset className="flex flex-wrap gap-3">
            <legend className="mb-1 text-sm">Days the window opens</legend>
            {DAYS.map((d) => (
              <Check
                key={d}
                label={d}
                checked={days.includes(d)}
                onChange={(on) =>
                  setDays(
                    on
                      ? DAYS.filter((x) => x === d || days.includes(x))
                      : days.filter((x) => x !== d),
                  )
                }
              />
            ))}
          </fieldset>
          {daysError ? <p className="text-sm text-danger">{daysError}</p> : null}
        </fieldset>
      ) : null}
      <TextField
        label="Keyword on the home page"
        field="keyword"
        hint="Checked before and after each update with the HTTP status; empty: the status alone."
        value={keyword}
        onValue={setKeyword}
        maxLength={200}
      />
    </ApiForm>
  );
}

function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

const SOURCE: Record<SitePolicy["source"], string> = {
  site: "the site's own policy",
  account: "the account's defaults",
  default: "Steward's default",
  extension: "the account's policy for it",
  "site-extension": "the site's policy for it",
};

/** What applies to a site, each offer judged, and the editor of its own policy. */
export function SitePolicyCard({ site }: { site: { id: string; accountId: string } }) {
  const [editing, setEditing] = useState(false);
  const query = useQuery({
    queryKey: policyKeys.site(site.id),
    queryFn: () => fetchSitePolicy(site.id),
  });
  const p = query.data;
  const own = p?.policies.find((x) => x.type === null) ?? null;
  return (
    <Card
      title="Update policy"
      actions={
        <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
          Edit policy
        </Button>
      }
    >
      {!p ? (
        <p className="text-sm text-fg-muted">Loading…</p>
      ) : (
        <div className="grid gap-3 text-sm">
          <p>
            <span className="font-medium">{LEVELS.find((l) => l.value === p.level)?.label}</span>
            {p.stableOnly ? ", stable versions only" : ""} — from {SOURCE[p.source]}.
          </p>
          <p>
            Window: {windowText(p.window)} ({p.timezone})
            {p.nextWindow ? (
              <>
                ; next opens <When iso={p.nextWindow} />
              </>
            ) : null}
            {p.keyword ? <>; the home page must show “{p.keyword}”</> : null}.
          </p>
          {p.offers.length ? (
            <table className="w-full">
              <caption className="sr-only">Offered updates and the policy</caption>
              <thead className="text-left text-fg-muted">
                <tr>
                  <th className="py-1 pr-3 font-medium">Update</th>
                  <th className="py-1 pr-3 font-medium">Policy</th>
                  <th className="py-1 pr-3 font-medium">Applied</th>
                </tr>
              </thead>
              <tbody>
                {p.offers.map((o) => (
                  <tr key={`${o.type}:${o.slug}`} className="border-t border-border">
                    <td className="py-1.5 pr-3 break-all">
                      {o.type === "core" ? "WordPress" : o.slug} {o.from} → {o.to}
                    </td>
                    <td className="py-1.5 pr-3">{o.level}</td>
                    <td className="py-1.5 pr-3">
                      {o.automatic ? (
                        <Badge tone="ok">{p.window ? "in the window" : "automatic"}</Badge>
                      ) : (
                        <Badge>{o.reason}</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      )}
      <PolicyDialog
        open={editing}
        onOpenChange={setEditing}
        account={site.accountId}
        site={site.id}
        current={own}
      />
    </Card>
  );
}

const OUTCOME: Record<string, "ok" | "danger" | "warn"> = {
  succeeded: "ok",
  failed: "danger",
  rolled_back: "warn",
};

/** The site's last updates and their outcome. */
export function HistoryCard({ siteId }: { siteId: string }) {
  const query = useQuery({
    queryKey: policyKeys.history(siteId),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/cms-sites/{id}/history", { params: { path: { id: siteId } } }))
        .items,
    refetchInterval: 5_000,
  });
  const items = query.data ?? [];
  return (
    <Card title="Update history">
      {items.length === 0 ? (
        <p className="text-sm text-fg-muted">No update applied from Steward yet.</p>
      ) : (
        <table className="w-full text-sm">
          <caption className="sr-only">Update history</caption>
          <thead className="text-left text-fg-muted">
            <tr>
              <th className="py-1 pr-3 font-medium">When</th>
              <th className="py-1 pr-3 font-medium">Update</th>
              <th className="py-1 pr-3 font-medium">Outcome</th>
              <th className="py-1 pr-3 font-medium">What happened</th>
            </tr>
          </thead>
          <tbody>
            {items.map((h) => (
              <tr key={h.id} className="border-t border-border align-top">
                <td className="py-1.5 pr-3 whitespace-nowrap">
                  <When iso={h.at} />
                </td>
                <td className="py-1.5 pr-3 break-all">
                  {h.type === "core" ? "WordPress" : h.slug} {h.from ?? "?"} → {h.to ?? "?"}
                </td>
                <td className="py-1.5 pr-3">
                  <Badge tone={OUTCOME[h.outcome]}>{h.outcome.replace("_", " ")}</Badge>
                </td>
                <td className="py-1.5 pr-3 wrap-anywhere">{h.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
