// One card for a mail domain's filters (docs/mail.md#spam, #viruses): a mode chosen among
// `modes` (those other than off offered only when the node has what they need, else the card
// says why only off is possible), and for spam the days Junk keeps a message; an admin gets
// the form, a reader the values. mail-spam.tsx and mail-virus.tsx give what differs.
import { type ReactNode, useState } from "react";
import { TextField } from "../components/text-field.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { Row, Rows } from "./hosting-parts.tsx";

/** What the form saves: the mode, and the days when the card has them (NaN: not a number). */
export interface FilterChoice<M extends string> {
  mode: M;
  days?: number;
}

export interface MailFilterCardProps<M extends string> {
  domainId: string;
  canEdit: boolean;
  title: string;
  /** whether the node has what the modes other than off need */
  available: boolean;
  /** why only off is possible, when it is not */
  unavailable: ReactNode;
  /** the mode's field in the request (its errors are shown under the select) */
  field: string;
  label: string;
  hint: string;
  modes: readonly { value: M; label: string }[];
  value: M;
  /** a number of days after the mode (spam: how long Junk keeps a message) */
  days?: { field: string; label: string; rowLabel: string; hint: string; value: number };
  save: (choice: FilterChoice<M>) => Promise<unknown>;
  saveLabel: string;
}

export function MailFilterCard<M extends string>(p: MailFilterCardProps<M>) {
  const labelOf = (m: M) => p.modes.find((x) => x.value === m)?.label ?? m;
  return (
    <Card title={p.title}>
      <div className="grid gap-3">
        {p.available ? null : <Alert tone="info">{p.unavailable}</Alert>}
        {p.canEdit ? (
          <FilterForm {...p} />
        ) : (
          <Rows>
            <Row label={p.label}>{labelOf(p.value)}</Row>
            {p.days ? <Row label={p.days.rowLabel}>{`${p.days.value} days`}</Row> : null}
          </Rows>
        )}
      </div>
    </Card>
  );
}

function FilterForm<M extends string>(p: MailFilterCardProps<M>) {
  const [mode, setMode] = useState<M>(p.value);
  const [days, setDays] = useState(p.days ? String(p.days.value) : "");
  const save = useApiMutation(p.save, { invalidate: [["mail-domain", p.domainId]] });
  const shown = [p.field, ...(p.days ? [p.days.field] : [])];
  return (
    <form
      className="grid gap-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(
          p.days ? { mode, days: days.trim() === "" ? Number.NaN : Number(days) } : { mode },
        );
      }}
    >
      <Field label={p.label} hint={p.hint} error={fieldError(save.error, p.field)}>
        <Select value={mode} onChange={(e) => setMode(e.target.value as M)}>
          {p.modes.map((m) => (
            <option key={m.value} value={m.value} disabled={m.value !== "off" && !p.available}>
              {m.label}
            </option>
          ))}
        </Select>
      </Field>
      {p.days ? (
        <TextField
          label={p.days.label}
          value={days}
          onValue={setDays}
          inputMode="numeric"
          hint={p.days.hint}
          error={fieldError(save.error, p.days.field)}
        />
      ) : null}
      <ErrorAlert error={unshownError(save.error, shown)} />
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" busy={save.isPending}>
          {p.saveLabel}
        </Button>
      </div>
    </form>
  );
}
