// A monitor's form in a dialog: new (an account or the installation, a kind and its fields) or
// an edit (the kind stays); interval, timeout, retries and maintenance windows. The API's
// errors show at their fields. A new heartbeat monitor then shows its push URL and a curl line
// once (the API keeps only the token's hash).
import { majority } from "@steward/contracts/monitors";
import { useState } from "react";
import { ApiForm, type FormMutation } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { PickField, SettingField } from "./channel-fields.tsx";
import { HeartbeatUrl } from "./monitors-heartbeat.tsx";
import {
  MONITOR_FIELDS,
  MONITOR_FLAGS,
  monitorSettingsOf,
  monitorTexts,
} from "./monitors-kinds.ts";
import { LocationsField } from "./monitors-locations.tsx";
import { KIND_LABELS, MONITOR_KINDS, type Monitor, type MonitorKind } from "./monitors-parts.tsx";
import { useAccounts } from "./tasks-parts.tsx";

interface MonitorInput {
  name: string;
  account?: string;
  installation?: boolean;
  settings: Record<string, unknown>;
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  maintenance: { start: string; end: string }[];
  locations: string[];
  quorum: number | null;
}

/** "start end" per line, as the API's windows; what is not two times is sent as typed. */
const windowsOf = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => {
      const [start = "", end = ""] = line.trim().split(/\s+/);
      return { start, end };
    });

export function MonitorDialog({
  open,
  onOpenChange,
  monitor,
}: DialogProps & { monitor?: Monitor }) {
  const save = useApiMutation(
    async (body: MonitorInput) =>
      monitor
        ? {
            ...unwrap(
              await api.PATCH("/api/v1/monitors/{id}", {
                params: { path: { id: monitor.id } },
                body: { ...body, account: undefined, installation: undefined } as never,
              }),
            ),
            heartbeatToken: null,
          }
        : unwrap(await api.POST("/api/v1/monitors", { body: body as never })),
    {
      invalidate: [["monitors"]],
      onSuccess: (made) => (made.heartbeatToken ? undefined : onOpenChange(false)),
    },
  );
  const token = save.data?.heartbeatToken ?? null;
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title={token ? "The heartbeat's address" : monitor ? `Edit ${monitor.name}` : "New monitor"}
    >
      {(done) =>
        token ? (
          <HeartbeatUrl token={token} onDone={done} />
        ) : (
          <MonitorForm monitor={monitor} mutation={save} onCancel={done} />
        )
      }
    </FormDialog>
  );
}

function MonitorForm({
  monitor,
  mutation,
  onCancel,
}: {
  monitor?: Monitor;
  mutation: FormMutation<MonitorInput>;
  onCancel: () => void;
}) {
  const me = useMe();
  const accounts = useAccounts();
  const [name, setName] = useState(monitor?.name ?? "");
  const [owner, setOwner] = useState(monitor?.accountId ?? "");
  const [kind, setKind] = useState<MonitorKind>(monitor?.kind ?? "http");
  const settings = monitor?.settings as Record<string, unknown> | undefined;
  const [texts, setTexts] = useState(() => monitorTexts(kind, settings));
  const flagSpec = MONITOR_FLAGS[kind];
  const [flag, setFlag] = useState(flagSpec ? settings?.[flagSpec.name] !== false : false);
  const [intervalText, setIntervalText] = useState(String(monitor?.intervalSeconds ?? 60));
  const [timeoutText, setTimeoutText] = useState(String(monitor?.timeoutSeconds ?? 10));
  const [retries, setRetries] = useState(String(monitor?.retries ?? 0));
  const [windows, setWindows] = useState(
    (monitor?.maintenance ?? []).map((w) => `${w.start} ${w.end}`).join("\n"),
  );
  const [locations, setLocations] = useState(monitor?.locations ?? ["panel"]);
  // blank while it is the default (a majority), so that changing the locations moves it
  const [quorum, setQuorum] = useState(
    monitor && monitor.quorum !== majority(monitor.locations.length) ? String(monitor.quorum) : "",
  );
  const specs = MONITOR_FIELDS[kind];
  const installation = owner === "installation";
  return (
    <ApiForm
      mutation={mutation}
      input={{
        name: name.trim(),
        ...(installation ? { installation: true } : owner ? { account: owner } : {}),
        settings: monitorSettingsOf(kind, texts, flag),
        intervalSeconds: Number(intervalText),
        timeoutSeconds: Number(timeoutText),
        retries: Number(retries),
        maintenance: windowsOf(windows),
        locations,
        quorum: quorum.trim() ? Number(quorum) : null,
      }}
      shown={[
        "name",
        "account",
        "settings.kind",
        "intervalSeconds",
        "timeoutSeconds",
        "retries",
        "locations",
        "quorum",
        ...specs.map((s) => `settings.${s.name}`),
      ]}
      submitLabel={monitor ? "Save" : "Create monitor"}
      onCancel={onCancel}
    >
      <TextField label="Name" field="name" value={name} onValue={setName} maxLength={100} />
      {monitor ? null : (
        <>
          <PickField
            label="Belongs to"
            field="account"
            value={owner}
            onValue={setOwner}
            hint="An account's monitor reaches public addresses only; an installation monitor may reach the LAN."
            options={[
              { value: "", label: "The default account" },
              ...(me.can.manageNotifications
                ? [{ value: "installation", label: "The installation" }]
                : []),
              ...(accounts.data ?? []).map((a) => ({ value: a.id, label: a.name })),
            ]}
          />
          <PickField
            label="Kind"
            field="settings.kind"
            value={kind}
            onValue={(next) => {
              setKind(next as MonitorKind);
              setTexts(monitorTexts(next as MonitorKind));
              setFlag(true);
            }}
            options={MONITOR_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
          />
        </>
      )}
      {specs.map((spec) => (
        <SettingField
          key={`${kind}-${spec.name}`}
          spec={spec}
          isSet={false}
          value={texts[spec.name] ?? ""}
          onValue={(value) => setTexts((t) => ({ ...t, [spec.name]: value }))}
        />
      ))}
      {flagSpec ? <Checkbox label={flagSpec.label} checked={flag} onChange={setFlag} /> : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          label="Interval (s)"
          field="intervalSeconds"
          type="number"
          min={20}
          value={intervalText}
          onValue={setIntervalText}
        />
        <TextField
          label="Timeout (s)"
          field="timeoutSeconds"
          type="number"
          min={1}
          value={timeoutText}
          onValue={setTimeoutText}
        />
        <TextField
          label="Retries"
          field="retries"
          type="number"
          min={0}
          hint="Failures before down."
          value={retries}
          onValue={setRetries}
        />
      </div>
      {kind === "heartbeat" ? null : (
        <LocationsField
          locations={locations}
          onLocations={setLocations}
          quorum={quorum}
          onQuorum={setQuorum}
        />
      )}
      <Field
        label="Maintenance windows (optional)"
        hint="One per line: start and end as ISO times, e.g. 2026-12-24T02:00:00Z 2026-12-24T04:00:00Z. Checks go on; nothing is sent."
      >
        <Textarea
          className="font-mono"
          spellCheck={false}
          value={windows}
          onChange={(e) => setWindows(e.target.value)}
        />
      </Field>
    </ApiForm>
  );
}
