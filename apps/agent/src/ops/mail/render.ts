// Steward's mail files, rendered from mail.apply's input (docs/mail.md): four Postfix
// texthash maps (the fourth an access map refusing send-only and disabled mailboxes a
// catch-all would otherwise take), one Dovecot passwd-file and its deny list (receive-only mailboxes refused
// SMTP AUTH: `address/smtp`, looked up as `%Lu/%s`), one line per entry, in the input's order. Every
// value passed the contracts' patterns twice (panel, agent), so no line holds whitespace, a
// `#`, a `:` or a newline; a mailbox's home is <mailRoot>/<domain>/<local part> and is
// checked to stay under the mail root all the same.
import { resolve, sep } from "node:path";
import type { MailApplyInput } from "@steward/contracts/agent";
import { OpFailure } from "../types.ts";

export const MAP_FILES = ["domains", "mailboxes", "aliases", "refuse"] as const;
/** Postfix's access map of addresses refused at RCPT (`check_recipient_access`) */
export const REFUSE_FILE = "refuse";
/** what a sender is told of a send-only address: 550, and why */
export const SEND_ONLY_REFUSAL = "550 5.1.1 this address sends mail only and receives none";
/** what a sender is told of a disabled mailbox (RFC 3463 X.2.1: mailbox disabled) */
export const DISABLED_REFUSAL = "550 5.2.1 this mailbox is disabled and receives no mail";
export const USERS_FILE = "users";
/** Dovecot's `deny = yes` passwd-file, keyed `user/service` */
export const DENY_FILE = "deny";

export interface MailFiles {
  domains: string;
  mailboxes: string;
  aliases: string;
  refuse: string;
  users: string;
  deny: string;
}

export interface MailOwner {
  mailRoot: string;
  uid: number;
  gid: number;
}

const split = (address: string) => {
  const at = address.lastIndexOf("@");
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
};

/** A mailbox's home: under the mail root, in its domain's directory, or a refusal. */
export function mailboxHome(mailRoot: string, address: string): string {
  const { local, domain } = split(address);
  const root = resolve(mailRoot);
  const domainDir = resolve(root, domain);
  const home = resolve(domainDir, local);
  if (!domainDir.startsWith(root + sep) || !home.startsWith(domainDir + sep))
    throw new OpFailure("UNSAFE_PATH", `${address}: its mailbox would leave the mail root`);
  return home;
}

export function renderMail(input: MailApplyInput, owner: MailOwner): MailFiles {
  const enabled = input.mailboxes.filter((m) => m.enabled);
  // a send-only mailbox is no destination: out of the mailbox map (refused at RCPT)
  const receiving = enabled.filter((m) => m.mode !== "send-only");
  const catchAll = new Set(
    input.aliases.filter((a) => a.source.startsWith("@")).map((a) => a.source.slice(1)),
  );
  // ...and under a catch-all, which would take it, refused by the access map
  const sendOnly = enabled.filter(
    (m) => m.mode === "send-only" && catchAll.has(split(m.address).domain),
  );
  const aliasSources = new Set(input.aliases.map((a) => a.source));
  // a disabled mailbox is out of every map; under a catch-all, which would take its mail, it
  // is refused too (550): disabling a mailbox stops its mail, it does not hand it to another
  const disabled = input.mailboxes.filter(
    (m) => !m.enabled && catchAll.has(split(m.address).domain),
  );
  // a catch-all (@domain) would take the domain's mailboxes too: each keeps itself first
  const keep = receiving
    .filter((m) => catchAll.has(split(m.address).domain) && !aliasSources.has(m.address))
    .map((m) => `${m.address} ${m.address}\n`);
  const quota = (mb: number) => (mb > 0 ? `userdb_quota_rule=*:storage=${mb}M` : "");
  return {
    domains: input.domains.map((d) => `${d} ok\n`).join(""),
    mailboxes: receiving
      .map((m) => {
        const { local, domain } = split(m.address);
        return `${m.address} ${domain}/${local}/\n`;
      })
      .join(""),
    aliases: [
      ...keep,
      ...input.aliases.map((a) => `${a.source} ${a.destinations.join(",")}\n`),
    ].join(""),
    refuse: [
      ...sendOnly.map((m) => `${m.address} ${SEND_ONLY_REFUSAL}\n`),
      ...disabled.map((m) => `${m.address} ${DISABLED_REFUSAL}\n`),
    ].join(""),
    users: enabled
      .map((m) => {
        const home = mailboxHome(owner.mailRoot, m.address);
        return `${m.address}:${m.hash}:${owner.uid}:${owner.gid}::${home}::${quota(m.quotaMb)}\n`;
      })
      .join(""),
    deny: enabled
      .filter((m) => m.mode === "receive-only")
      .map((m) => `${m.address}/smtp:\n`)
      .join(""),
  };
}

/**
 * The addresses a set of files accepts at RCPT: mailboxes, alias sources, catch-all domains,
 * less what the access map refuses.
 */
export function acceptedBy(files: Pick<MailFiles, "domains" | "mailboxes" | "aliases" | "refuse">) {
  const keys = (text: string) =>
    text
      .split("\n")
      .map((l) => l.split(" ")[0] ?? "")
      .filter(Boolean);
  const domains = new Set(keys(files.domains));
  const addresses = new Set([...keys(files.mailboxes), ...keys(files.aliases)]);
  const catchAll = new Set([...addresses].filter((a) => a.startsWith("@")).map((a) => a.slice(1)));
  const refused = new Set(keys(files.refuse));
  return (address: string) => {
    const { domain } = split(address);
    if (!domains.has(domain) || refused.has(address)) return false;
    return addresses.has(address) || catchAll.has(domain);
  };
}

/** Every key of a map file (its addresses), for the before/after comparison. */
export function addressesOf(files: Pick<MailFiles, "mailboxes" | "aliases" | "refuse">): string[] {
  return `${files.mailboxes}${files.aliases}${files.refuse}`
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter((k) => k && !k.startsWith("@"));
}
