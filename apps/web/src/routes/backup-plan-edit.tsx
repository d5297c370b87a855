// Changing a plan in a dialog, from its page: the quick setup's fields (PlanFields) filled with
// the plan's values, its sources and destinations ticked by name among its account's (shared
// destinations too), how many runs at once, enabled, and test restores on a schedule (off, or a
// cron expression and a time zone). Only what was changed is sent; the API's errors show at
// their fields and a refused change changes nothing. The encryption mode stays (a `recipients`
// plan may change its keys).
import { Pencil } from "lucide-react";
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { Button } from "../components/ui/button.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import {
  destinationKindName,
  type Plan,
  sourceKindName,
  useDestinationOptions,
  useSourceOptions,
} from "./backup-parts.tsx";
import {
  numberOf,
  PLAN_FIELDS,
  type PlanChoices,
  PlanFields,
  planInput,
  scheduleChoice,
} from "./backup-plan-fields.tsx";

type PlanChange =
  paths["/api/v1/backup-plans/{id}"]["patch"]["requestBody"]["content"]["application/json"];

const choicesOf = (plan: Plan): PlanChoices => {
  const keep = "keepLast" in plan.retention ? plan.retention.keepLast : undefined;
  return {
    name: plan.name,
    ...scheduleChoice(plan.schedule),
    timeZone: plan.timeZone,
    retention: keep === undefined ? "gfs" : "keep",
    keepLast: String(keep ?? 7),
    encryption: plan.encryption,
    recipients: plan.recipients.join("\n"),
    level: String(plan.compressionLevel),
  };
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** "Edit" on a plan's page (its account's admins). */
export function EditPlanButton({ plan }: { plan: Plan }) {
  const [open, setOpen] = useState(false);
  const save = useApiMutation(
    async (body: PlanChange) =>
      unwrap(
        await api.PATCH("/api/v1/backup-plans/{id}", { params: { path: { id: plan.id } }, body }),
      ),
    {
      invalidate: [["backup-plans"]],
      onSuccess: (p) => {
        toast(`Plan ${p.name} saved.`);
        setOpen(false);
      },
    },
  );
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        <Pencil className="h-4 w-4" aria-hidden="true" /> Edit
      </Button>
      <FormDialog
        open={open}
        onOpenChange={resetOnClose(save, setOpen)}
        title={`Edit ${plan.name}`}
        description="Only what you change is saved; a new schedule takes effect at once."
      >
        {(done) => <EditPlanForm plan={plan} mutation={save} onCancel={done} />}
      </FormDialog>
    </>
  );
}

function EditPlanForm({
  plan,
  mutation,
  onCancel,
}: {
  plan: Plan;
  mutation: Parameters<typeof ApiForm<PlanChange>>[0]["mutation"];
  onCancel: () => void;
}) {
  const [choices, setChoices] = useState(() => choicesOf(plan));
  const set = (patch: Partial<PlanChoices>) => setChoices((c) => ({ ...c, ...patch }));
  const [sourceIds, setSourceIds] = useState(plan.sourceIds);
  const [destinationIds, setDestinationIds] = useState(plan.destinationIds);
  const [concurrency, setConcurrency] = useState(String(plan.concurrency));
  const [enabled, setEnabled] = useState(plan.enabled);
  const [verifyOn, setVerifyOn] = useState(plan.verify !== null);
  const [verifyCron, setVerifyCron] = useState(plan.verify?.schedule ?? "0 5 * * 0");
  const [verifyZone, setVerifyZone] = useState(plan.verify?.timeZone ?? plan.timeZone);
  const sources = useSourceOptions();
  const destinations = useDestinationOptions();
  const full = planInput(choices, { accountId: plan.accountId, sourceIds, destinationIds });
  // a grandfather-father-son plan left so keeps its own periods
  const retention =
    choices.retention === "gfs" && "gfs" in plan.retention ? plan.retention : full.retention;
  const verify = verifyOn ? { schedule: verifyCron.trim(), timeZone: verifyZone.trim() } : null;
  const count = numberOf(concurrency);
  const keys = full.encryption?.mode === "recipients" ? full.encryption : undefined;
  const input: PlanChange = {
    ...(full.name !== plan.name ? { name: full.name } : {}),
    ...(!same(sourceIds, plan.sourceIds) ? { sourceIds } : {}),
    ...(!same(destinationIds, plan.destinationIds) ? { destinationIds } : {}),
    ...(full.schedule !== plan.schedule ? { schedule: full.schedule } : {}),
    ...(full.timeZone !== plan.timeZone ? { timeZone: full.timeZone } : {}),
    ...(full.compressionLevel !== plan.compressionLevel
      ? { compressionLevel: full.compressionLevel }
      : {}),
    ...(!same(retention, plan.retention) ? { retention } : {}),
    ...(count !== plan.concurrency ? { concurrency: count } : {}),
    ...(enabled !== plan.enabled ? { enabled } : {}),
    ...(!same(verify, plan.verify) ? { verify } : {}),
    ...(keys && !same(keys.recipients, plan.recipients) ? { encryption: keys } : {}),
  };
  const err = mutation.error;
  const toggle = (ids: string[], id: string, on: boolean) =>
    on ? [...ids, id] : ids.filter((x) => x !== id);
  return (
    <ApiForm
      mutation={mutation}
      input={input}
      shown={[
        ...PLAN_FIELDS,
        "sourceIds",
        "destinationIds",
        "concurrency",
        "verify",
        "verify.schedule",
        "verify.timeZone",
      ]}
      submitLabel="Save plan"
      disabled={Object.keys(input).length === 0}
      onCancel={onCancel}
    >
      <PlanFields choices={choices} set={set} error={err} modeFixed />
      <Field label="Sources" error={fieldError(err, "sourceIds")}>
        <div className="grid gap-1">
          {(sources.data ?? [])
            .filter((s) => s.accountId === plan.accountId)
            .map((s) => (
              <Checkbox
                key={s.id}
                label={`${s.name} (${sourceKindName(s.kind)})`}
                checked={sourceIds.includes(s.id)}
                onChange={(on) => setSourceIds((ids) => toggle(ids, s.id, on))}
              />
            ))}
        </div>
      </Field>
      <Field label="Destinations" error={fieldError(err, "destinationIds")}>
        <div className="grid gap-1">
          {(destinations.data ?? [])
            .filter((d) => d.accountId === plan.accountId || d.accountId === null)
            .map((d) => (
              <Checkbox
                key={d.id}
                label={`${d.name} (${destinationKindName(d.kind)}${d.accountId === null ? ", shared" : ""})`}
                checked={destinationIds.includes(d.id)}
                onChange={(on) => setDestinationIds((ids) => toggle(ids, d.id, on))}
              />
            ))}
        </div>
      </Field>
      <TextField
        label="Runs at once on a node"
        field="concurrency"
        inputMode="numeric"
        hint="At most this many backup runs on a node when one of this plan's starts."
        value={concurrency}
        onValue={setConcurrency}
      />
      <Checkbox
        label="Enabled"
        hint="A disabled plan runs only when asked."
        checked={enabled}
        onChange={setEnabled}
      />
      <Field label="Test restores" error={fieldError(err, "verify")}>
        <Checkbox
          label="Test-restore the newest artifact on a schedule"
          hint="On that schedule the panel test-restores the plan's newest artifact, opened with its key."
          checked={verifyOn}
          onChange={setVerifyOn}
        />
      </Field>
      {verifyOn ? (
        <div className="grid items-start gap-4 sm:grid-cols-2">
          <TextField
            label="Test-restore cron expression"
            field="verify.schedule"
            value={verifyCron}
            onValue={setVerifyCron}
            code
          />
          <TextField
            label="Test-restore time zone"
            field="verify.timeZone"
            value={verifyZone}
            onValue={setVerifyZone}
            code
          />
        </div>
      ) : null}
    </ApiForm>
  );
}
