// What a mail.apply input needs of dovecot.conf beyond Steward's passwd-file (docs/mail.md):
// the deny list when a mailbox is receive-only, the Sieve directory when one has an
// autoresponder. `doveconf -n` must name each, or the change would be written and not served.
import { join } from "node:path";
import type { MailApplyInput } from "@steward/contracts/agent";
import type { AgentConfig } from "../../config.ts";
import { DENY_FILE } from "./render.ts";
import { SIEVE_DIR } from "./sieve.ts";

type MailConfig = AgentConfig["mail"];

/** What the input needs of dovecot.conf beyond the passwd-file: the deny list, the Sieve dir. */
export function dovecotNeeds(m: MailConfig, input: MailApplyInput) {
  const needs: [string, string][] = [];
  if (input.mailboxes.some((b) => b.mode === "receive-only"))
    needs.push([
      join(m.configDir, DENY_FILE),
      `passdb { driver = passwd-file, deny = yes, args = username_format=%Lu/%s ${join(m.configDir, DENY_FILE)} } before Steward's passdb`,
    ]);
  if (input.mailboxes.some((b) => b.autoresponder))
    needs.push([
      join(m.configDir, SIEVE_DIR),
      `sieve_before = ${join(m.configDir, SIEVE_DIR)}/%Lu.sieve and the sieve plugin in protocol lmtp`,
    ]);
  return needs;
}
