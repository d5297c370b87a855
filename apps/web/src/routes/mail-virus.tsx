// A mail domain's virus scanning (docs/mail.md#viruses): off, or reject (ClamAV, through
// rspamd, scans what arrives and a message carrying a virus is refused at SMTP), saved through
// PUT /mail/domains/{id}/virus. Reject is offered only when the domain's node has rspamd and
// clamd (the API's `virusAvailable`); otherwise the card says why only off is possible.
import { useState } from "react";
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

const MODES = [
  { value: "off", label: "Off: not scanned" },
  { value: "reject", label: "Reject: a message carrying a virus is refused at SMTP" },
] as const;
type Mode = (typeof MODES)[number]["value"];

const labelOf = (m: Mode) => MODES.find((x) => x.value === m)?.label ?? m;

export function MailVirusCard({ domain, canEdit }: { domain: MailDomain; canEdit: boolean }) {
  return (
    <Card title="Virus scanning">
      <div className="grid gap-3">
        {domain.virusAvailable ? null : (
          <Alert tone="info">
            The node has no virus scanner (its facts do not list both rspamd and clamd), so only off
            is possible. Install rspamd and clamav-daemon on the node to scan mail.
          </Alert>
        )}
        {canEdit ? (
          <VirusForm domain={domain} />
        ) : (
          <Rows>
            <Row label="Viruses">{labelOf(domain.virusFilter)}</Row>
          </Rows>
        )}
      </div>
    </Card>
  );
}

function VirusForm({ domain }: { domain: MailDomain }) {
  const [mode, setMode] = useState<Mode>(domain.virusFilter);
  const save = useApiMutation(
    async (body: { virusFilter: Mode }) =>
      unwrap(
        await api.PUT("/api/v1/mail/domains/{id}/virus", {
          params: { path: { id: domain.id } },
          body,
        }),
      ),
    { invalidate: [["mail-domain", domain.id]] },
  );
  return (
    <form
      className="grid gap-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ virusFilter: mode });
      }}
    >
      <Field
        label="Viruses"
        hint="ClamAV scans each attachment through rspamd, whatever the spam filter."
        error={fieldError(save.error, "virusFilter")}
      >
        <Select value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
          {MODES.map((m) => (
            <option
              key={m.value}
              value={m.value}
              disabled={m.value !== "off" && !domain.virusAvailable}
            >
              {m.label}
            </option>
          ))}
        </Select>
      </Field>
      <ErrorAlert error={unshownError(save.error, ["virusFilter"])} />
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" busy={save.isPending}>
          Save virus scanning
        </Button>
      </div>
    </form>
  );
}
