// mail.dkim (docs/mail.md#dkim-spf-and-dmarc): the node's whole DKIM state, as the panel
// holds it: every key that should exist (domain and selector) and which one signs each
// domain's mail. The agent makes a missing key itself (RSA 2048; the private key never leaves
// the node), removes the keys no longer listed, writes OpenDKIM's KeyTable and SigningTable
// (Steward's own files) and answers each key's public part.
import { z } from "zod";
import { selectorPattern } from "../mail/dkim.ts";
import { isDnsName } from "../validators.ts";

const asciiDomain = z.string().max(253).refine(isDnsName, "must be an ASCII domain name");
const selector = z
  .string()
  .max(63)
  .refine((s) => selectorPattern.test(s), "must be one DNS label");

export const mailDkimInput = z
  .strictObject({
    keys: z
      .array(
        z.strictObject({
          domain: asciiDomain,
          selector,
          /** this key signs the domain's mail (one per domain); the others stay published */
          sign: z.boolean(),
        }),
      )
      .max(20_000),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    const signing = new Set<string>();
    for (const [i, k] of input.keys.entries()) {
      const key = `${k.selector}._domainkey.${k.domain}`;
      if (seen.has(key))
        ctx.addIssue({ code: "custom", path: ["keys", i], message: `${key} is given twice` });
      seen.add(key);
      if (k.sign && signing.has(k.domain))
        ctx.addIssue({
          code: "custom",
          path: ["keys", i, "sign"],
          message: `${k.domain} has two signing keys`,
        });
      if (k.sign) signing.add(k.domain);
    }
  });
export type MailDkimInput = z.infer<typeof mailDkimInput>;

export const mailDkimOutput = z.object({
  keys: z.array(
    z.object({
      domain: z.string(),
      selector: z.string(),
      /** base64 of the public key's DER SubjectPublicKeyInfo (the DKIM record's p=) */
      publicKey: z.string(),
      /** made by this operation */
      created: z.boolean(),
    }),
  ),
});
export type MailDkimOutput = z.infer<typeof mailDkimOutput>;
