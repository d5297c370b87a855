// Quick setup (/backups/new): a whole backup in one page. The account first; then the source and
// the destination, each picked from what exists or made right here (the same forms as their
// lists' dialogs, with the panel's check before saving); then when and how, with sensible
// defaults (PlanFields). "Create plan" opens the plan's page, or the first run's when "Run it
// once now" is ticked.
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { PageHeader } from "../components/page.tsx";
import { Alert } from "../components/ui/alert.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import { DestinationForm, type DestinationInput } from "./backup-destination-form.tsx";
import {
  destinationKindName,
  sourceKindName,
  useDestinationOptions,
  useSourceOptions,
} from "./backup-parts.tsx";
import {
  defaultChoices,
  PLAN_FIELDS,
  type PlanChoices,
  PlanFields,
  type PlanInput,
  planInput,
} from "./backup-plan-fields.tsx";
import { NEW, PickOrMake, Step } from "./backup-setup-parts.tsx";
import { SourceForm, type SourceInput } from "./backup-source-form.tsx";
import { useAccounts } from "./tasks-parts.tsx";

export function BackupSetupPage() {
  const accounts = useAccounts();
  const [account, setAccount] = useState("");
  const [sourceId, setSourceId] = useState("");
  const [destinationId, setDestinationId] = useState("");
  // an account with exactly one choice needs no choosing
  const only = accounts.data?.length === 1 ? accounts.data[0]?.id : undefined;
  const accountId = account || only || "";
  return (
    <>
      <PageHeader
        title="Quick setup"
        description="A backup in one page: what to back up, where to, and when. Each part can be picked from what exists or made here."
      />
      <div className="grid max-w-3xl gap-4">
        <Step number={1} title="Account" done={accountId !== ""}>
          <Field
            label="Account"
            hint="Whose backup this is: its admins manage it, its readers see it."
          >
            <Select
              value={accountId}
              onChange={(e) => {
                setAccount(e.target.value);
                setSourceId("");
                setDestinationId("");
              }}
            >
              {!accountId ? <option value="">Choose an account</option> : null}
              {(accounts.data ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          </Field>
        </Step>
        {accountId ? (
          <>
            <SourceStep account={accountId} value={sourceId} onChange={setSourceId} />
            <DestinationStep
              account={accountId}
              value={destinationId}
              onChange={setDestinationId}
            />
            {sourceId && sourceId !== NEW && destinationId && destinationId !== NEW ? (
              <PlanStep account={accountId} sourceId={sourceId} destinationId={destinationId} />
            ) : null}
          </>
        ) : null}
      </div>
    </>
  );
}

function SourceStep({
  account,
  value,
  onChange,
}: {
  account: string;
  value: string;
  onChange: (id: string) => void;
}) {
  const sources = useSourceOptions();
  const save = useApiMutation(
    async (body: SourceInput) => unwrap(await api.POST("/api/v1/backup-sources", { body })),
    {
      invalidate: [["backup-sources"]],
      onSuccess: (s) => {
        toast(`Source ${s.name} saved.`);
        onChange(s.id);
      },
    },
  );
  const items = (sources.data ?? [])
    .filter((s) => s.accountId === account)
    .map((s) => ({ id: s.id, label: `${s.name} (${sourceKindName(s.kind)})` }));
  return (
    <Step number={2} title="What to back up" done={value !== "" && value !== NEW}>
      <PickOrMake
        label="Source"
        items={items}
        value={value}
        onChange={(id) => {
          save.reset();
          onChange(id);
        }}
        form={<SourceForm mutation={save} onCancel={() => onChange("")} account={account} />}
      />
    </Step>
  );
}

function DestinationStep({
  account,
  value,
  onChange,
}: {
  account: string;
  value: string;
  onChange: (id: string) => void;
}) {
  const destinations = useDestinationOptions();
  const save = useApiMutation(
    async (body: DestinationInput) =>
      unwrap(await api.POST("/api/v1/backup-destinations", { body })),
    {
      invalidate: [["backup-destinations"]],
      onSuccess: (d) => {
        toast(`Destination ${d.name} saved.`);
        onChange(d.id);
      },
    },
  );
  const items = (destinations.data ?? [])
    .filter((d) => d.accountId === account || d.accountId === null)
    .map((d) => ({
      id: d.id,
      label: `${d.name} (${destinationKindName(d.kind)}${d.accountId === null ? ", shared" : ""})`,
    }));
  return (
    <Step number={3} title="Where to" done={value !== "" && value !== NEW}>
      <PickOrMake
        label="Destination"
        items={items}
        value={value}
        onChange={(id) => {
          save.reset();
          onChange(id);
        }}
        form={<DestinationForm mutation={save} onCancel={() => onChange("")} account={account} />}
      />
    </Step>
  );
}

function PlanStep({
  account,
  sourceId,
  destinationId,
}: {
  account: string;
  sourceId: string;
  destinationId: string;
}) {
  const navigate = useNavigate();
  const sources = useSourceOptions();
  const destinations = useDestinationOptions();
  const [choices, setChoices] = useState<PlanChoices>(defaultChoices);
  const [runNow, setRunNow] = useState(true);
  const set = (patch: Partial<PlanChoices>) => setChoices((c) => ({ ...c, ...patch }));
  const sourceName = sources.data?.find((s) => s.id === sourceId)?.name ?? "";
  const destinationName = destinations.data?.find((d) => d.id === destinationId)?.name ?? "";
  const named = { ...choices, name: choices.name || `${sourceName} to ${destinationName}` };
  const create = useApiMutation(
    async (body: PlanInput) => {
      const plan = unwrap(await api.POST("/api/v1/backup-plans", { body }));
      const path = { params: { path: { id: plan.id } } };
      const started = runNow
        ? unwrap(await api.POST("/api/v1/backup-plans/{id}/run", path)).runs
        : [];
      return { plan, started };
    },
    {
      invalidate: [["backup-plans"], ["backup-runs"]],
      onSuccess: ({ plan, started }) => {
        toast(`Plan ${plan.name} created.`);
        const [first] = started;
        if (started.length === 1 && first)
          void navigate({ to: "/backups/runs/$id", params: { id: first.runId } });
        else void navigate({ to: "/backups/plans/$id", params: { id: plan.id } });
      },
    },
  );
  const err = create.error;
  const parts = fieldError(err, "sourceIds") ?? fieldError(err, "destinationIds");
  return (
    <Step number={4} title="When and how" done={false}>
      <ApiForm
        mutation={create}
        input={planInput(named, {
          accountId: account,
          sourceIds: [sourceId],
          destinationIds: [destinationId],
        })}
        shown={[...PLAN_FIELDS, "sourceIds", "destinationIds", "accountId"]}
        submitLabel="Create plan"
        onCancel={() => void navigate({ to: "/backups" })}
      >
        {parts ? <Alert tone="error">{parts}</Alert> : null}
        <PlanFields choices={named} set={set} error={err} />
        <Checkbox
          label="Run it once now"
          hint="The first backup starts as soon as the plan is made; its page shows it live."
          checked={runNow}
          onChange={setRunNow}
        />
      </ApiForm>
    </Step>
  );
}
