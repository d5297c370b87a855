// A mail domain's DNS policy (docs/mail.md#dkim-spf-and-dmarc): how its SPF record ends (~all
// or -all), DMARC's policy (none, quarantine, reject) and the mailbox or alias of the domain
// its aggregate reports go to, saved through PATCH /mail/domains/{id}/dkim; the API's refusals
// show at their fields. Readers see the policy without the form.
import { useState } from "react";
import { TextField } from "../components/text-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { Row, Rows } from "./hosting-parts.tsx";
import { type Dkim, useMailDkim } from "./mail-dns.tsx";
import type { MailDomain } from "./mail-parts.tsx";

type Policy = Dkim["policy"];
type SpfAll = Policy["spfAll"];
type DmarcPolicy = Policy["dmarcPolicy"];

const SPF = [
  { value: "~all", label: "~all: soft fail" },
  { value: "-all", label: "-all: fail" },
] as const satisfies readonly { value: SpfAll; label: string }[];
const DMARC = [
  { value: "none", label: "none: report only" },
  { value: "quarantine", label: "quarantine: to spam" },
  { value: "reject", label: "reject: refused" },
] as const satisfies readonly { value: DmarcPolicy; label: string }[];

const labelOf = (list: readonly { value: string; label: string }[], value: string) =>
  list.find((x) => x.value === value)?.label ?? value;
/** the local part of the report address (the API answers the full address) */
const localOf = (address: string | null) =>
  address ? address.slice(0, address.lastIndexOf("@")) : "";

export function MailDnsPolicyCard({ domain, canEdit }: { domain: MailDomain; canEdit: boolean }) {
  const dkim = useMailDkim(domain.id);
  const policy = dkim.data?.policy;
  return (
    <Card title="DNS policy">
      <div className="grid gap-3">
        <p className="text-sm text-fg-muted">
          How the SPF and DMARC records above read: what receivers do with mail that claims{" "}
          <span className="font-mono">{domain.name}</span> but comes from elsewhere.
        </p>
        <ErrorAlert error={dkim.error} />
        {!policy ? (
          <p className="text-sm text-fg-muted">Loading…</p>
        ) : canEdit ? (
          <PolicyForm domain={domain} policy={policy} />
        ) : (
          <Rows>
            <Row label="SPF">{labelOf(SPF, policy.spfAll)}</Row>
            <Row label="DMARC policy">{labelOf(DMARC, policy.dmarcPolicy)}</Row>
            <Row label="DMARC reports to">{policy.dmarcReport ?? "nobody"}</Row>
          </Rows>
        )}
      </div>
    </Card>
  );
}

function PolicyForm({ domain, policy }: { domain: MailDomain; policy: Policy }) {
  const [spfAll, setSpfAll] = useState<SpfAll>(policy.spfAll);
  const [dmarcPolicy, setDmarcPolicy] = useState<DmarcPolicy>(policy.dmarcPolicy);
  const [report, setReport] = useState(localOf(policy.dmarcReport));
  const save = useApiMutation(
    async (body: { spfAll: SpfAll; dmarcPolicy: DmarcPolicy; dmarcReport: string | null }) =>
      unwrap(
        await api.PATCH("/api/v1/mail/domains/{id}/dkim", {
          params: { path: { id: domain.id } },
          body,
        }),
      ),
    {
      invalidate: [
        ["mail-dkim", domain.id],
        ["mail-dns-check", domain.id],
      ],
    },
  );
  const shown = ["spfAll", "dmarcPolicy", "dmarcReport"];
  return (
    <form
      className="grid gap-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ spfAll, dmarcPolicy, dmarcReport: report.trim() || null });
      }}
    >
      <Field
        label="SPF for mail from elsewhere"
        hint="How the SPF record ends, for mail from hosts other than the domain's MX and A: a soft fail is marked and usually delivered, a fail refused where receivers check."
        error={fieldError(save.error, "spfAll")}
      >
        <Select
          value={spfAll}
          onChange={(e) => {
            save.reset();
            setSpfAll(e.target.value as SpfAll);
          }}
        >
          {SPF.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="DMARC policy"
        hint="What receivers do with mail that fails SPF and DKIM."
        error={fieldError(save.error, "dmarcPolicy")}
      >
        <Select
          value={dmarcPolicy}
          onChange={(e) => {
            save.reset();
            setDmarcPolicy(e.target.value as DmarcPolicy);
          }}
        >
          {DMARC.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      </Field>
      <TextField
        label="DMARC reports to"
        value={report}
        onValue={(v) => {
          save.reset();
          setReport(v);
        }}
        code
        hint={`A mailbox or alias of this domain (the part before @${domain.name}); empty: no reports.`}
        error={fieldError(save.error, "dmarcReport")}
      />
      <ErrorAlert error={unshownError(save.error, shown)} />
      <div className="flex items-center justify-end gap-3">
        {save.isSuccess ? (
          <span role="status" className="text-sm text-fg-muted">
            Saved.
          </span>
        ) : null}
        <Button type="submit" variant="secondary" busy={save.isPending}>
          Save DNS policy
        </Button>
      </div>
    </form>
  );
}
