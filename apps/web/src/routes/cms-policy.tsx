// Update policies in the console (docs/cms.md#update-policies): the editor of an account's
// defaults or a site's own policy (level, stable versions only, a window in the site's time
// zone, the home page's keyword, the visual check and its threshold), and what the site's card
// and the bulk dialog share.
import { useState } from "react";
import { ApiForm, useFieldError } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";

export type SitePolicy = Awaited<ReturnType<typeof fetchSitePolicy>>;
export type UpdatePolicy = SitePolicy["policies"][number];
type Level = UpdatePolicy["level"];
type Window = NonNullable<UpdatePolicy["window"]>;
type Day = Window["days"][number];

export const LEVELS: { value: Level; label: string }[] = [
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

export async function fetchSitePolicy(id: string) {
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
  visualCheck: "on" | "off" | null;
  visualThreshold: number | null;
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
  const [visual, setVisual] = useState(current?.visualCheck === "on");
  const [threshold, setThreshold] = useState(String(current?.visualThreshold ?? 5));
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
        // unchecked: off when the policy had said something, else left to the account's
        visualCheck: visual ? "on" : current?.visualCheck ? "off" : null,
        visualThreshold: visual ? Number(threshold) : (current?.visualThreshold ?? null),
      }}
      shown={[
        "level",
        "window.start",
        "window.durationMinutes",
        "window.days",
        "keyword",
        "visualThreshold",
      ]}
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
      <Check
        label="Visual check: compare screenshots of the home page before and after each update"
        checked={visual}
        onChange={setVisual}
      />
      {visual ? (
        <TextField
          label="Pixels an update may change (%)"
          field="visualThreshold"
          hint="More changed than this rolls the update back. Runs in Chromium on the panel's machine."
          value={threshold}
          onValue={setThreshold}
          inputMode="decimal"
          maxLength={5}
        />
      ) : null}
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
