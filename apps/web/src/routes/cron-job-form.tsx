// "New cron job": one of the account's system users (the job's node is the user's), a schedule
// shown in words as it is typed, one line of command (no `%`: cron reads it as a newline),
// PATH and MAILTO. The API checks every value and names the field it refuses.
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { cronWords } from "../lib/cron-words.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import type { SysUser } from "./system-users.tsx";

const create = async (body: Record<string, unknown>) =>
  unwrap(await api.POST("/api/v1/cron-jobs", { body: body as never }));

/** The schedule in words, or what to fix. */
export function scheduleHint(schedule: string) {
  if (!schedule.trim()) return "five fields: minute hour day-of-month month day-of-week";
  return cronWords(schedule) ?? "a custom schedule (the panel checks each field's range)";
}

export function CronJobForm({
  account,
  users,
  done,
}: {
  account: string;
  users: SysUser[];
  done: () => void;
}) {
  const usable = users.filter((u) => u.status !== "deleting");
  const [user, setUser] = useState("");
  const [schedule, setSchedule] = useState("*/5 * * * *");
  const [command, setCommand] = useState("");
  const [path, setPath] = useState("");
  const [mailto, setMailto] = useState("");
  const [enabled, setEnabled] = useState(true);
  const [heartbeat, setHeartbeat] = useState(false);
  const save = useApiMutation(create, {
    invalidate: [["cron-jobs"]],
    onSuccess: (j) => {
      toast(`the job is being written on the node (as ${j.user})`);
      done();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      account,
      systemUser: user || usable[0]?.id,
      schedule: schedule.trim(),
      command,
      env: { ...(path ? { PATH: path } : {}), ...(mailto ? { MAILTO: mailto } : {}) },
      enabled,
      heartbeat,
    });
  };
  return (
    <form onSubmit={submit} className="grid gap-4">
      <Field label="Runs as" hint="one of the account's system users, never root">
        <Select value={user || usable[0]?.id || ""} onChange={(e) => setUser(e.target.value)}>
          {usable.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.kind})
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Schedule" hint={scheduleHint(schedule)}>
        <Input
          value={schedule}
          onChange={(e) => setSchedule(e.target.value)}
          required
          className="font-mono"
          autoComplete="off"
        />
      </Field>
      <Field
        label="Command"
        hint="one line of shell, run in the user's home; no % (put such a command in a script)"
      >
        <Input
          value={command}
          onChange={(e) => setCommand(e.target.value)}
          required
          maxLength={1000}
          className="font-mono"
          autoComplete="off"
        />
      </Field>
      <Field label="PATH" hint="optional; default /usr/local/bin:/usr/bin:/bin">
        <Input value={path} onChange={(e) => setPath(e.target.value)} className="font-mono" />
      </Field>
      <Field label="Mail the output to" hint="optional; empty: no mail (MAILTO)">
        <Input value={mailto} onChange={(e) => setMailto(e.target.value)} type="email" />
      </Field>
      <Checkbox
        label="Enabled"
        checked={enabled}
        onChange={setEnabled}
        hint="a disabled job stays in the panel, not in the node's cron file"
      />
      <Checkbox
        label="Heartbeat monitor"
        checked={heartbeat}
        onChange={setHeartbeat}
        hint="a monitor of the account, pinged after each run that exits 0: it goes down when the job stops running or fails (jobs that run at least daily)"
      />
      {save.error ? <ErrorAlert error={save.error} /> : null}
      <FormActions busy={save.isPending} submitLabel="Create" onCancel={done} />
    </form>
  );
}
