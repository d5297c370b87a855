// A mailbox's autoresponder form (docs/mail.md#autoresponders): subject, text, first and last
// day, once per sender in so many days; Save, or Remove when it has one.
import { useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { TextField } from "../components/text-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Field } from "../components/ui/field.tsx";
import { Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { Mailbox } from "./mail-usage.tsx";

export function AutoresponderDialog({ box, done }: { box: Mailbox; done: () => void }) {
  const a = box.autoresponder;
  const [subject, setSubject] = useState(a?.subject ?? "");
  const [body, setBody] = useState(a?.body ?? "");
  const [start, setStart] = useState(a?.start ?? "");
  const [end, setEnd] = useState(a?.end ?? "");
  const [days, setDays] = useState(String(a?.days ?? 7));
  const invalidate = [
    ["mailboxes", box.domainId],
    ["mail-domain", box.domainId],
  ];
  const path = { params: { path: { id: box.id } } };
  const save = useApiMutation(
    async () =>
      unwrap(
        await api.PUT("/api/v1/mail/mailboxes/{id}/autoresponder", {
          ...path,
          body: { subject, body, start: start || null, end: end || null, days: Number(days) },
        }),
      ),
    { invalidate, onSuccess: done },
  );
  const remove = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/mail/mailboxes/{id}/autoresponder", path)),
    { invalidate, onSuccess: done },
  );
  const fields = ["subject", "body", "start", "end", "days"];
  return (
    <form
      className="grid gap-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(undefined);
      }}
    >
      {box.mode === "send-only" ? (
        <p className="text-sm text-fg-muted">
          This mailbox is send-only: it gets no mail, so its autoresponder never answers.
        </p>
      ) : null}
      <TextField
        label="Subject"
        value={subject}
        onValue={setSubject}
        maxLength={200}
        error={fieldError(save.error, "subject")}
      />
      <Field
        label="Message"
        hint="Sent once per sender in the days below; never to lists or bounces."
        error={fieldError(save.error, "body")}
      >
        <Textarea rows={6} value={body} onChange={(e) => setBody(e.target.value)} />
      </Field>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          label="First day"
          type="date"
          value={start}
          onValue={setStart}
          hint="UTC; empty: now."
          error={fieldError(save.error, "start")}
        />
        <TextField
          label="Last day"
          type="date"
          value={end}
          onValue={setEnd}
          hint="UTC; empty: until removed."
          error={fieldError(save.error, "end")}
        />
        <TextField
          label="Days between replies"
          value={days}
          onValue={setDays}
          inputMode="numeric"
          error={fieldError(save.error, "days")}
        />
      </div>
      <ErrorAlert error={unshownError(save.error, fields) ?? remove.error} />
      <div className="flex flex-wrap justify-between gap-2">
        {a ? (
          <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate(undefined)}>
            Remove autoresponder
          </Button>
        ) : (
          <span />
        )}
        <FormActions submitLabel="Save" busy={save.isPending} onCancel={done} />
      </div>
    </form>
  );
}
