// Mail hosting on a node (C12, docs/mail.md): the node's whole mail state every time (its
// domains, mailboxes with their Dovecot password hashes and quotas, aliases and forwards), as
// the panel holds it. The agent renders Steward's own map and passwd-file files from it,
// checks Postfix and Dovecot, reloads, and proves the change by an SMTP conversation. Every
// value is canonical already (lowercase, ASCII) and checked again with the contracts'
// patterns here, the agent's wall.
import { z } from "zod";
import { autoresponder, mailboxMode } from "../mail/autoresponder.ts";
import { isMailAddress, passwordHash, quotaMb } from "../mail/names.ts";
import { id, isDnsName } from "../validators.ts";
import { mailSpamFilters } from "./mail-spam.ts";
import { mailVirusDomains } from "./mail-virus.ts";

const asciiDomain = z.string().max(253).refine(isDnsName, "must be an ASCII domain name");
const address = z.string().max(254).refine(isMailAddress, "must be an ASCII mail address");
/** an alias's source: an address, or `@domain` for the domain's catch-all */
const aliasSource = z
  .string()
  .max(254)
  .refine(
    (s) => (s.startsWith("@") ? isDnsName(s.slice(1)) : isMailAddress(s)),
    "must be an address or @domain (catch-all)",
  );

export const mailApplyInput = z
  .strictObject({
    domains: z.array(asciiDomain).max(10_000),
    mailboxes: z
      .array(
        z.strictObject({
          address,
          hash: passwordHash,
          quotaMb,
          /** false: refused at RCPT and at login, the Maildir kept */
          enabled: z.boolean(),
          /** send-only: no mail delivered (RCPT refused); receive-only: SMTP AUTH refused */
          mode: mailboxMode.default("both"),
          /** a Sieve vacation reply Steward writes and compiles for the mailbox */
          autoresponder: autoresponder.nullable().default(null),
        }),
      )
      .max(200_000),
    aliases: z
      .array(z.strictObject({ source: aliasSource, destinations: z.array(address).min(1).max(50) }))
      .max(200_000),
    /**
     * the node's mail certificate: the one installed for this site id on the node
     * (<tlsDir>/<id>/), served by Postfix (STARTTLS, 465) and Dovecot; null leaves it as it is
     */
    certificate: z.strictObject({ id }).nullable().default(null),
    /**
     * more certificates by SNI: a client naming one of `names` in its TLS handshake gets the
     * one installed for site `id` (Postfix's tls_server_sni_maps, Dovecot's local_name); every
     * other client gets `certificate`. Each name is one of `domains` or a name under one.
     */
    sni: z
      .array(z.strictObject({ id, names: z.array(asciiDomain).min(1).max(100) }))
      .max(1_000)
      .default([]),
    /** the domains rspamd filters (mail-spam.ts); needs agent.json mail.rspamd */
    spam: mailSpamFilters,
    /** the domains whose mail ClamAV scans through rspamd (mail-virus.ts); needs mail.rspamd.clamd */
    virus: mailVirusDomains,
  })
  .superRefine((input, ctx) => {
    const domains = new Set(input.domains);
    const seen = new Set<string>();
    const check = (key: string, path: (string | number)[]) => {
      const dom = key.slice(key.lastIndexOf("@") + 1);
      if (!domains.has(dom))
        ctx.addIssue({ code: "custom", path, message: `${dom} is not one of the domains` });
      if (seen.has(key)) ctx.addIssue({ code: "custom", path, message: `${key} is given twice` });
      seen.add(key);
    };
    for (const [i, m] of input.mailboxes.entries()) check(m.address, ["mailboxes", i, "address"]);
    for (const [i, a] of input.aliases.entries()) check(a.source, ["aliases", i, "source"]);
    for (const [i, f] of input.spam.entries())
      if (!domains.has(f.domain))
        ctx.addIssue({
          code: "custom",
          path: ["spam", i, "domain"],
          message: "not one of the domains",
        });
    checkSni(input, domains, ctx);
    for (const [i, d] of input.virus.entries())
      if (!domains.has(d))
        ctx.addIssue({ code: "custom", path: ["virus", i], message: "not one of the domains" });
  });

/** Each SNI name is one of the domains or under one, and is given once; each site once. */
function checkSni(
  input: { sni: { id: string; names: string[] }[] },
  domains: Set<string>,
  ctx: z.RefinementCtx,
) {
  const sites = new Set<string>();
  const names = new Set<string>();
  for (const [i, entry] of input.sni.entries()) {
    if (sites.has(entry.id))
      ctx.addIssue({ code: "custom", path: ["sni", i, "id"], message: "is given twice" });
    sites.add(entry.id);
    for (const [j, name] of entry.names.entries()) {
      const path = ["sni", i, "names", j];
      if (!underOneOf(name, domains))
        ctx.addIssue({
          code: "custom",
          path,
          message: `${name} is neither one of the domains nor under one`,
        });
      if (names.has(name)) ctx.addIssue({ code: "custom", path, message: "is given twice" });
      names.add(name);
    }
  }
}

/** `name` is one of `domains` or a name under one (mail.example.com under example.com). */
export function underOneOf(name: string, domains: ReadonlySet<string>) {
  for (let at = name; at; at = at.slice(at.indexOf(".") + 1)) {
    if (domains.has(at)) return true;
    if (!at.includes(".")) return false;
  }
  return false;
}
export type MailApplyInput = z.infer<typeof mailApplyInput>;

export const mailApplyOutput = z.object({
  /** addresses an SMTP conversation saw accepted at RCPT after the change (new ones, sampled) */
  accepted: z.array(z.string()),
  /** addresses it saw refused (removed or disabled ones, sampled) */
  refused: z.array(z.string()),
  /** how long writing Steward's maps and passwd-file took (ms) */
  mapMs: z.number(),
  /** the serial (hex) of the certificate STARTTLS serves, when one was asked */
  tlsSerial: z.string().nullable(),
  /** per SNI site: the serial STARTTLS serves to a client naming its first name */
  sniSerials: z.array(z.object({ id: z.string(), serial: z.string() })).default([]),
});
export type MailApplyOutput = z.infer<typeof mailApplyOutput>;

/** mail.usage: what each of Steward's mailboxes on the node holds (Dovecot's quota count). */
export const mailUsageInput = z.strictObject({});
export const mailUsageOutput = z.object({
  mailboxes: z.array(
    z.object({
      address: z.string(),
      bytes: z.number(),
      messages: z.number(),
      /** the quota in bytes; null: none */
      limitBytes: z.number().nullable(),
    }),
  ),
});
export type MailUsageOutput = z.infer<typeof mailUsageOutput>;
