// A rule's form in a dialog, driven by the contracts' ruleSettings: what it matches (types or
// prefixes, minimum severity, outcome, a target type or one target), where it sends (channels
// of its owner) and how often (repeat, grouping, flapping, quiet hours). Each API error shows
// at its field (`settings.quietHours.start`…).
import { severities } from "@steward/contracts/notifications";
import { useState } from "react";
import { ApiForm, type FormMutation } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { ApiError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { PickField } from "./channel-fields.tsx";
import { useInstallationChannels } from "./rules-emergency.tsx";
import { QuietHoursFields, type QuietTexts, quietOf, quietTexts } from "./rules-quiet.tsx";
import type { Rule } from "./rules-words.ts";
import { useAccounts } from "./tasks-parts.tsx";

interface RuleInput {
  name: string;
  account?: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  channels: string[];
}

const numberOr = (text: string, fallback: number) => (text.trim() === "" ? fallback : Number(text));

export function RuleDialog({ open, onOpenChange, rule }: DialogProps & { rule?: Rule }) {
  const save = useApiMutation(
    async (body: RuleInput) =>
      rule
        ? unwrap(
            await api.PATCH("/api/v1/notification-rules/{id}", {
              params: { path: { id: rule.id } },
              body: { ...body, account: undefined } as never,
            }),
          )
        : unwrap(await api.POST("/api/v1/notification-rules", { body: body as never })),
    { invalidate: [["rules"]], onSuccess: () => onOpenChange(false) },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title={rule ? `Edit the rule ${rule.name}` : "New rule"}
    >
      {(done) => <RuleForm rule={rule} mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function RuleForm({
  rule,
  mutation,
  onCancel,
}: {
  rule?: Rule;
  mutation: FormMutation<RuleInput>;
  onCancel: () => void;
}) {
  const me = useMe();
  const accounts = useAccounts();
  const channels = useInstallationChannels();
  const s = rule?.settings;
  const [name, setName] = useState(rule?.name ?? "");
  const [owner, setOwner] = useState(rule?.accountId ?? "");
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [chosen, setChosen] = useState<string[]>(rule?.channels.map((c) => c.id) ?? []);
  const [types, setTypes] = useState(s?.eventTypes.join(", ") ?? "monitor.");
  const [severity, setSeverity] = useState<string>(s?.minSeverity ?? "info");
  const [outcome, setOutcome] = useState<string>(s?.outcome ?? "any");
  const [targetType, setTargetType] = useState(s?.scope?.targetType ?? "");
  const [targetId, setTargetId] = useState(s?.scope?.targetId ?? "");
  const [repeat, setRepeat] = useState(String(s?.repeatMinutes ?? 0));
  const [group, setGroup] = useState(String(s?.groupSeconds ?? 0));
  const [flapChanges, setFlapChanges] = useState(s?.flap ? String(s.flap.changes) : "");
  const [flapWindow, setFlapWindow] = useState(s?.flap ? String(s.flap.windowMinutes) : "");
  const [quiet, setQuiet] = useState<QuietTexts>(quietTexts(s?.quietHours ?? null));
  const ownerId = rule ? (rule.accountId ?? "") : owner;
  const offered = (channels.data ?? []).filter((c) => (c.accountId ?? "") === ownerId);
  const flap =
    flapChanges.trim() || flapWindow.trim()
      ? { changes: Number(flapChanges), windowMinutes: Number(flapWindow) }
      : null;
  const settings = {
    eventTypes: types.split(",").map((t) => t.trim()),
    minSeverity: severity,
    outcome,
    scope: targetType.trim()
      ? { targetType: targetType.trim(), targetId: targetId.trim() || null }
      : null,
    repeatMinutes: numberOr(repeat, 0),
    groupSeconds: numberOr(group, 0),
    flap,
    quietHours: quietOf(quiet),
  };
  const error = mutation.error;
  const errorUnder = (prefix: string) =>
    error instanceof ApiError
      ? Object.entries(error.fields).find(([k]) => k === prefix || k.startsWith(`${prefix}.`))?.[1]
      : undefined;
  const atFields = ["name", "account", "channels", "settings"];
  return (
    <ApiForm
      mutation={mutation}
      input={{
        name: name.trim(),
        ...(ownerId && !rule ? { account: ownerId } : {}),
        enabled,
        settings,
        channels: chosen,
      }}
      shown={
        error instanceof ApiError
          ? Object.keys(error.fields).filter((k) => atFields.some((p) => k.startsWith(p)))
          : []
      }
      submitLabel={rule ? "Save" : "Create rule"}
      onCancel={onCancel}
    >
      <TextField label="Name" field="name" value={name} onValue={setName} maxLength={100} />
      {rule ? null : (
        <PickField
          label="Belongs to"
          field="account"
          value={owner}
          onValue={(next) => {
            setOwner(next);
            setChosen([]);
          }}
          hint="An account's rule sees its account's events and sends to its channels; an installation rule sees every account's."
          options={[
            me.can.manageNotifications
              ? { value: "", label: "The installation" }
              : { value: "", label: "Choose an account" },
            ...(accounts.data ?? []).map((a) => ({ value: a.id, label: a.name })),
          ]}
        />
      )}
      <Field
        label="Channels"
        hint={
          offered.length
            ? "Where what it matches is sent."
            : "No channel of this owner yet: add one on the Channels page."
        }
        error={errorUnder("channels")}
      >
        <div className="grid gap-1">
          {offered.map((c) => (
            <Checkbox
              key={c.id}
              label={c.name}
              checked={chosen.includes(c.id)}
              onChange={(on) =>
                setChosen((now) => (on ? [...now, c.id] : now.filter((id) => id !== c.id)))
              }
            />
          ))}
        </div>
      </Field>
      <TextField
        label="Event types"
        code
        hint='Types or prefixes, comma-separated: monitor., site.failed; "" for every type.'
        error={errorUnder("settings.eventTypes")}
        value={types}
        onValue={setTypes}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <PickField
          label="Minimum severity"
          field="settings.minSeverity"
          value={severity}
          onValue={setSeverity}
          options={severities.map((v) => ({ value: v, label: v }))}
        />
        <PickField
          label="Outcome"
          field="settings.outcome"
          value={outcome}
          onValue={setOutcome}
          options={[
            { value: "any", label: "Failures and successes" },
            { value: "failure", label: "Failures only" },
            { value: "success", label: "Successes only" },
          ]}
        />
        <TextField
          label="Target type (optional)"
          code
          field="settings.scope.targetType"
          hint="Only events of site, monitor, node…"
          value={targetType}
          onValue={setTargetType}
        />
        <TextField
          label="Target id (optional)"
          code
          field="settings.scope.targetId"
          hint="And only this one."
          value={targetId}
          onValue={setTargetId}
        />
        <TextField
          label="Repeat (minutes)"
          type="number"
          field="settings.repeatMinutes"
          hint="The same event and target at most once per this; 0: every time."
          value={repeat}
          onValue={setRepeat}
        />
        <TextField
          label="Group (seconds)"
          type="number"
          field="settings.groupSeconds"
          hint="Events of one group within this are one message; 0: none."
          value={group}
          onValue={setGroup}
        />
        <TextField
          label="Flapping after changes (optional)"
          type="number"
          field="settings.flap.changes"
          value={flapChanges}
          onValue={setFlapChanges}
        />
        <TextField
          label="Within minutes"
          type="number"
          field="settings.flap.windowMinutes"
          value={flapWindow}
          onValue={setFlapWindow}
        />
      </div>
      <QuietHoursFields value={quiet} onValue={setQuiet} />
      <Checkbox label="Enabled" checked={enabled} onChange={setEnabled} />
    </ApiForm>
  );
}
