// Editing a task's schedule: a cron expression and a time zone, or none (it runs once). The
// server checks both; its refusals are shown at the fields they name.
import { useEffect, useId, useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { TextField } from "../components/text-field.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { Task } from "./tasks-parts.tsx";

const zones = (): string[] => {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
};

export function ScheduleDialog({
  task,
  open,
  onOpenChange,
  onSaved,
}: DialogProps & {
  task: Task;
  onSaved: (t: Task) => void;
}) {
  const [expression, setExpression] = useState(task.expression ?? "");
  const [timezone, setTimezone] = useState(task.timezone ?? "");
  const listId = useId();
  const save = useApiMutation(
    async () => {
      const expr = expression.trim();
      return unwrap(
        await api.PATCH("/api/v1/tasks/{id}", {
          params: { path: { id: task.id } },
          body: { expression: expr || null, timezone: expr ? timezone.trim() || null : null },
        }),
      );
    },
    {
      invalidate: [["tasks"]],
      onSuccess: (t) => {
        onSaved(t);
        onOpenChange(false);
      },
    },
  );
  // each opening starts from the task as it is
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (!open) return;
    setExpression(task.expression ?? "");
    setTimezone(task.timezone ?? "");
    save.reset();
  }, [open]);

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Edit schedule"
      description="A cron expression makes the task recurring; the next run is computed from now."
    >
      <ApiForm
        mutation={save}
        shown={["expression", "timezone"]}
        submitLabel="Save schedule"
        onCancel={() => onOpenChange(false)}
      >
        <TextField
          label="Cron expression"
          hint="5 or 6 fields (minute hour day month weekday), or @hourly, @daily, @weekly. Empty: the task runs once."
          field="expression"
          value={expression}
          onValue={setExpression}
          maxLength={120}
          code
          placeholder="0 3 * * *"
        />
        <TextField
          label="Time zone"
          hint="An IANA name such as Europe/Paris or UTC. Empty: the server's local time."
          field="timezone"
          value={timezone}
          onValue={setTimezone}
          maxLength={64}
          spellCheck={false}
          list={listId}
          placeholder="UTC"
        />
        <datalist id={listId}>
          {open ? zones().map((z) => <option key={z} value={z} />) : null}
        </datalist>
      </ApiForm>
    </Dialog>
  );
}
