// A rule's quiet hours in its form: from and to (HH:MM) in a time zone, held or dropped,
// critical events too or not. Empty times: no quiet hours.
import { TextField } from "../components/text-field.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { PickField } from "./channel-fields.tsx";
import type { Rule } from "./rules-words.ts";

export interface QuietTexts {
  start: string;
  end: string;
  timeZone: string;
  mode: string;
  includeCritical: boolean;
}

type Quiet = Rule["settings"]["quietHours"];

export const quietTexts = (q: Quiet): QuietTexts => ({
  start: q?.start ?? "",
  end: q?.end ?? "",
  timeZone: q?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  mode: q?.mode ?? "hold",
  includeCritical: q?.includeCritical ?? false,
});

export const quietOf = (t: QuietTexts) =>
  t.start.trim() || t.end.trim()
    ? {
        start: t.start.trim(),
        end: t.end.trim(),
        timeZone: t.timeZone.trim(),
        mode: t.mode,
        includeCritical: t.includeCritical,
      }
    : null;

export function QuietHoursFields({
  value,
  onValue,
}: {
  value: QuietTexts;
  onValue: (next: QuietTexts) => void;
}) {
  const set = (patch: Partial<QuietTexts>) => onValue({ ...value, ...patch });
  return (
    <fieldset className="grid gap-4 rounded-md border border-border p-3 sm:grid-cols-3">
      <legend className="px-1 text-sm font-medium">Quiet hours (optional)</legend>
      <TextField
        label="From"
        code
        placeholder="22:00"
        field="settings.quietHours.start"
        value={value.start}
        onValue={(start) => set({ start })}
      />
      <TextField
        label="To"
        code
        placeholder="07:00"
        field="settings.quietHours.end"
        value={value.end}
        onValue={(end) => set({ end })}
      />
      <TextField
        label="Time zone"
        code
        field="settings.quietHours.timeZone"
        value={value.timeZone}
        onValue={(timeZone) => set({ timeZone })}
      />
      <PickField
        label="Meanwhile"
        field="settings.quietHours.mode"
        value={value.mode}
        onValue={(mode) => set({ mode })}
        options={[
          { value: "hold", label: "Hold, send when it ends" },
          { value: "drop", label: "Drop" },
        ]}
      />
      <div className="sm:col-span-2 sm:self-end">
        <Checkbox
          label="Critical events are quiet too"
          checked={value.includeCritical}
          onChange={(includeCritical) => set({ includeCritical })}
        />
      </div>
    </fieldset>
  );
}
