// Editing a task's schedule: a cron expression and a time zone, or none (it runs once). The
// server checks both; its refusals are shown at the fields they name.
import { type FormEvent, useEffect, useId, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
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

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  const expressionError = fieldError(save.error, "expression");
  const timezoneError = fieldError(save.error, "timezone");
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Edit schedule"
      description="A cron expression makes the task recurring; the next run is computed from now."
    >
      <form className="grid gap-4" onSubmit={submit} noValidate>
        <Field
          label="Cron expression"
          hint="5 or 6 fields (minute hour day month weekday), or @hourly, @daily, @weekly. Empty: the task runs once."
          error={expressionError}
        >
          <Input
            value={expression}
            onChange={(e) => setExpression(e.target.value)}
            maxLength={120}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            placeholder="0 3 * * *"
          />
        </Field>
        <Field
          label="Time zone"
          hint="An IANA name such as Europe/Paris or UTC. Empty: the server's local time."
          error={timezoneError}
        >
          <Input
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            list={listId}
            placeholder="UTC"
          />
        </Field>
        <datalist id={listId}>
          {open ? zones().map((z) => <option key={z} value={z} />) : null}
        </datalist>
        {/* what the fields do not already say */}
        {save.error && !expressionError && !timezoneError ? (
          <ErrorAlert error={save.error} />
        ) : null}
        <FormActions
          submitLabel="Save schedule"
          busy={save.isPending}
          onCancel={() => onOpenChange(false)}
        />
      </form>
    </Dialog>
  );
}
