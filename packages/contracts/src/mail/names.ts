// Mail names (C12, docs/mail.md): what may become a line of Postfix's maps or Dovecot's
// passwd-file. A local part is a conservative subset of RFC 5321's dot-atom (lowercase
// letters, digits, `.`, `_`, `+`, `-`; no leading, trailing or double dot; 64 at most), so
// nothing reaches a map with whitespace, a `#` comment, a `:` field separator, a quote, a
// routing character (`%`, `!`, `@`) or a lookup metacharacter. Domains are `domain`
// (internationalised names become their ASCII form). The agent checks every value again
// with these same patterns before writing a byte.
import { z } from "zod";
import { domain, isDnsName } from "../validators.ts";

// no leading '-': Postfix refuses such an address at RCPT and tools read it as an option
export const localPartPattern = /^[a-z0-9_+][a-z0-9_+-]*(\.[a-z0-9_+-]+)*$/;
const localPartMessage =
  "must be a mailbox name of lowercase letters, digits, '.', '_', '+' and '-' (no leading '-', no leading, trailing or double dot)";

/** The part of an address before `@`: typed in any case, stored lowercase. */
export const localPart = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .transform((s) => s.toLowerCase())
  .refine((s) => localPartPattern.test(s), localPartMessage);

/** A mail domain: the site domain rule, IDN to punycode. */
export const mailDomain = domain;

/** The ASCII address rule the agent checks again: a local part, `@`, a DNS name. */
export function isMailAddress(s: string): boolean {
  const at = s.lastIndexOf("@");
  if (at <= 0 || s.length > 254) return false;
  const local = s.slice(0, at);
  return local.length <= 64 && localPartPattern.test(local) && isDnsName(s.slice(at + 1));
}

/**
 * A full address, `local@domain`: the local part by the rule above, the domain by `domain`
 * (an IDN domain becomes punycode). Used for forward destinations too, local or external.
 */
export const mailAddress = z
  .string()
  .max(254, "must be at most 254 characters")
  .transform((s, ctx) => {
    const at = s.lastIndexOf("@");
    if (at <= 0) {
      ctx.addIssue({ code: "custom", message: "must be an address like name@example.com" });
      return z.NEVER;
    }
    const local = localPart.safeParse(s.slice(0, at));
    const dom = domain.safeParse(s.slice(at + 1));
    if (!local.success) {
      ctx.addIssue({
        code: "custom",
        message: `local part ${local.error.issues[0]?.message ?? "is invalid"}`,
      });
      return z.NEVER;
    }
    if (!dom.success) {
      ctx.addIssue({
        code: "custom",
        message: `domain ${dom.error.issues[0]?.message ?? "is invalid"}`,
      });
      return z.NEVER;
    }
    return `${local.data}@${dom.data}`;
  });

/** A mailbox's quota in MiB: 0 is no quota; at most 1 TiB. */
export const quotaMb = z
  .number({ error: "must be a number" })
  .int("must be a whole number of MiB")
  .min(0, "must be 0 (no quota) or more")
  .max(1_048_576, "must be at most 1048576 MiB (1 TiB)");

/** A mailbox's password as typed: 10-128 characters, no control characters. */
export const mailPassword = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(128, "must be at most 128 characters")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");

/**
 * The only password form that leaves the panel: Dovecot's `{ARGON2ID}` scheme, a PHC string
 * (argon2id, v=19, p=1 as libsodium requires, base64 without padding).
 */
export const passwordHashPattern =
  /^\{ARGON2ID\}\$argon2id\$v=19\$m=\d{4,7},t=\d{1,2},p=1\$[A-Za-z0-9+/]{16,64}\$[A-Za-z0-9+/]{32,128}$/;
export const passwordHash = z
  .string()
  .max(300)
  .regex(passwordHashPattern, "must be a Dovecot {ARGON2ID} hash");
