// The monitors a status page lists, picked by name from its account's monitors, each under
// the public name it shows (the monitor's own when left empty), in the page's order. An error
// of one (monitors.<i>.monitor, monitors.<i>.name) shows at its row.
import { useId } from "react";
import { useFieldError } from "../components/api-form.tsx";
import { Button } from "../components/ui/button.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import { useAccountMonitors } from "./status-pages-parts.tsx";

export interface PickedMonitor {
  monitor: string;
  name: string;
}

function PickedRow({
  index,
  picked,
  monitorName,
  onName,
  onRemove,
}: {
  index: number;
  picked: PickedMonitor;
  monitorName: string;
  onName: (name: string) => void;
  onRemove: () => void;
}) {
  const monitorError = useFieldError(`monitors.${index}.monitor`);
  const nameError = useFieldError(`monitors.${index}.name`);
  const error = monitorError ?? nameError;
  return (
    <li className="grid gap-1">
      <div className="flex items-center gap-2">
        <span className="w-40 shrink-0 truncate text-sm" title={monitorName}>
          {monitorName}
        </span>
        <Input
          aria-label={`Public name of ${monitorName}`}
          placeholder={monitorName}
          maxLength={100}
          value={picked.name}
          onChange={(e) => onName(e.target.value)}
        />
        <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove ${monitorName}`}>
          Remove
        </Button>
      </div>
      {error ? (
        <p className="text-sm text-danger" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}

export function MonitorsPicker({
  account,
  value,
  onValue,
}: {
  account: string | undefined;
  value: PickedMonitor[];
  onValue: (value: PickedMonitor[]) => void;
}) {
  const id = useId();
  const monitors = useAccountMonitors(account);
  const listError = useFieldError("monitors");
  const all = monitors.data ?? [];
  const nameOf = (monitorId: string) => all.find((m) => m.id === monitorId)?.name ?? monitorId;
  const left = all.filter((m) => !value.some((p) => p.monitor === m.id));
  return (
    <fieldset className="grid gap-2">
      <legend className="text-sm font-medium">Monitors it shows</legend>
      {value.length ? (
        <ul className="grid gap-2">
          {value.map((picked, i) => (
            <PickedRow
              key={picked.monitor}
              index={i}
              picked={picked}
              monitorName={nameOf(picked.monitor)}
              onName={(name) => onValue(value.map((p, j) => (j === i ? { ...p, name } : p)))}
              onRemove={() => onValue(value.filter((_, j) => j !== i))}
            />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-fg-muted">None yet.</p>
      )}
      <label htmlFor={id} className="sr-only">
        Add a monitor
      </label>
      <Select
        id={id}
        value=""
        disabled={!left.length}
        onChange={(e) =>
          e.target.value && onValue([...value, { monitor: e.target.value, name: "" }])
        }
      >
        <option value="">
          {monitors.isPending
            ? "Loading monitors…"
            : left.length
              ? "Add a monitor…"
              : "No more monitors in this account"}
        </option>
        {left.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </Select>
      {listError ? <p className="text-sm text-danger">{listError}</p> : null}
      <p className="text-xs text-fg-muted">
        The public sees each under its public name, never its target.
      </p>
    </fieldset>
  );
}
