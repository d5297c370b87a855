// A mail domain's spam filter (docs/mail.md#spam): off, tag (X-Spam header and delivery into
// Junk) or reject (refused at SMTP), and the days Junk keeps a message, saved through PUT
// /mail/domains/{id}/spam. Tag and reject are offered only when the domain's node has rspamd
// (the API's `spamAvailable`); otherwise the card says why only off is possible.
import { api, unwrap } from "../lib/api.ts";
import { MailFilterCard } from "./mail-filter-card.tsx";
import type { MailDomain } from "./mail-parts.tsx";

const FILTERS = [
  { value: "off", label: "Off: not filtered" },
  { value: "tag", label: "Tag: marked and delivered into Junk" },
  { value: "reject", label: "Reject: refused at SMTP (doubtful mail tagged)" },
] as const;

export function MailSpamCard({ domain, canEdit }: { domain: MailDomain; canEdit: boolean }) {
  return (
    <MailFilterCard
      domainId={domain.id}
      canEdit={canEdit}
      title="Spam filter"
      available={domain.spamAvailable}
      unavailable="The node has no rspamd (its facts do not list it), so only off is possible. Install rspamd on the node to filter spam."
      field="spamFilter"
      label="Filter"
      hint="rspamd scores what arrives; tag and reject need it on the node."
      modes={FILTERS}
      value={domain.spamFilter}
      days={{
        field: "junkDays",
        label: "Junk keeps messages (days)",
        rowLabel: "Junk keeps",
        hint: "1 to 3650; older messages in Junk are removed daily.",
        value: domain.junkDays,
      }}
      save={async ({ mode, days }) =>
        unwrap(
          await api.PUT("/api/v1/mail/domains/{id}/spam", {
            params: { path: { id: domain.id } },
            body: { spamFilter: mode, junkDays: days ?? domain.junkDays },
          }),
        )
      }
      saveLabel="Save spam filter"
    />
  );
}
