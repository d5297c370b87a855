// A mail domain's spam filter (docs/mail.md#spam): off, tag (X-Spam header and delivery into
// Junk) or reject (refused at SMTP), and the days Junk keeps a message, saved through PUT
// /mail/domains/{id}/spam. Tag and reject are offered only when the domain's node has rspamd
// (the API's `spamAvailable`); otherwise the card says why only off is possible.
import { useState } from "react";
import { TextField } from "../components/text-field.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { Row, Rows } from "./hosting-parts.tsx";
import type { MailDomain } from "./mail-parts.tsx";

const FILTERS = [
  { value: "off", label: "Off: not filtered" },
  { value: "tag", label: "Tag: marked and delivered into Junk" },
  { value: "reject", label: "Reject: refused at SMTP (doubtful mail tagged)" },
] as const;
type Filter = (typeof FILTERS)[number]["value"];

const labelOf = (f: Filter) => FILTERS.find((x) => x.value === f)?.label ?? f;

export function MailSpamCard({ domain, canEdit }: { domain: MailDomain; canEdit: boolean }) {
  return (
    <Card title="Spam filter">
      <div className="grid gap-3">
        {domain.spamAvailable ? null : (
          <Alert tone="info">
            The node has no rspamd (its facts do not list it), so only off is possible. Install
            rspamd on the node to filter spam.
          </Alert>
        )}
        {canEdit ? (
          <SpamForm domain={domain} />
        ) : (
          <Rows>
            <Row label="Filter">{labelOf(domain.spamFilter)}</Row>
            <Row label="Junk keeps">{`${domain.junkDays} days`}</Row>
          </Rows>
        )}
      </div>
    </Card>
  );
}

function SpamForm({ domain }: { domain: MailDomain }) {
  const [filter, setFilter] = useState<Filter>(domain.spamFilter);
  const [days, setDays] = useState(String(domain.junkDays));
  const save = useApiMutation(
    async (body: { spamFilter: Filter; junkDays: number }) =>
      unwrap(
        await api.PUT("/api/v1/mail/domains/{id}/spam", {
          params: { path: { id: domain.id } },
          body,
        }),
      ),
    { invalidate: [["mail-domain", domain.id]] },
  );
  const shown = ["spamFilter", "junkDays"];
  return (
    <form
      className="grid gap-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ spamFilter: filter, junkDays: days.trim() === "" ? NaN : Number(days) });
      }}
    >
      <Field
        label="Filter"
        hint="rspamd scores what arrives; tag and reject need it on the node."
        error={fieldError(save.error, "spamFilter")}
      >
        <Select value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
          {FILTERS.map((f) => (
            <option
              key={f.value}
              value={f.value}
              disabled={f.value !== "off" && !domain.spamAvailable}
            >
              {f.label}
            </option>
          ))}
        </Select>
      </Field>
      <TextField
        label="Junk keeps messages (days)"
        value={days}
        onValue={setDays}
        inputMode="numeric"
        hint="1 to 3650; older messages in Junk are removed daily."
        error={fieldError(save.error, "junkDays")}
      />
      <ErrorAlert error={unshownError(save.error, shown)} />
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" busy={save.isPending}>
          Save spam filter
        </Button>
      </div>
    </form>
  );
}
