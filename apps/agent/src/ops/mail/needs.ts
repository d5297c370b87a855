// What a mail.apply input needs of dovecot.conf beyond Steward's passwd-file (docs/mail.md):
// the deny list when a mailbox is receive-only, the Sieve directory when one has an
// autoresponder, Steward's SNI file when there are certificates by SNI. `doveconf -n` must name each, or the change would be written and not served.
import { join } from "node:path";
import type { MailApplyInput } from "@steward/contracts/agent";
import type { AgentConfig } from "../../config.ts";
import { DENY_FILE } from "./render.ts";
import { SIEVE_DIR } from "./sieve.ts";
import { SNI_DIR, SNI_DOVECOT } from "./sni.ts";

type MailConfig = AgentConfig["mail"];

/** What the input needs of dovecot.conf beyond the passwd-file: deny list, Sieve dir, SNI. */
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
  if (input.sni.length)
    needs.push([join(m.configDir, SNI_DIR), `!include_try ${join(m.configDir, SNI_DOVECOT)}`]);
  return needs;
}
