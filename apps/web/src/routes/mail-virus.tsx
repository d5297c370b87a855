// A mail domain's virus scanning (docs/mail.md#viruses): off, or reject (ClamAV, through
// rspamd, scans what arrives and a message carrying a virus is refused at SMTP), saved through
// PUT /mail/domains/{id}/virus. Reject is offered only when the domain's node has rspamd and
// clamd (the API's `virusAvailable`); otherwise the card says why only off is possible.
import { api, unwrap } from "../lib/api.ts";
import { MailFilterCard } from "./mail-filter-card.tsx";
import type { MailDomain } from "./mail-parts.tsx";

const MODES = [
  { value: "off", label: "Off: not scanned" },
  { value: "reject", label: "Reject: a message carrying a virus is refused at SMTP" },
] as const;

export function MailVirusCard({ domain, canEdit }: { domain: MailDomain; canEdit: boolean }) {
  return (
    <MailFilterCard
      domainId={domain.id}
      canEdit={canEdit}
      title="Virus scanning"
      available={domain.virusAvailable}
      unavailable="The node has no virus scanner (its facts do not list both rspamd and clamd), so only off is possible. Install rspamd and clamav-daemon on the node to scan mail."
      field="virusFilter"
      label="Viruses"
      hint="ClamAV scans each attachment through rspamd, whatever the spam filter."
      modes={MODES}
      value={domain.virusFilter}
      save={async ({ mode }) =>
        unwrap(
          await api.PUT("/api/v1/mail/domains/{id}/virus", {
            params: { path: { id: domain.id } },
            body: { virusFilter: mode },
          }),
        )
      }
      saveLabel="Save virus scanning"
    />
  );
}
