// A mailbox's mode and its autoresponder (docs/mail.md): the same schemas for the API, the CLI
// and mail.apply's input at the agent's wall. Text reaches a Sieve script (escaped there) and
// the reply's headers: the subject is one line, the body lines of text, neither a control
// character (CR, NUL…) that could split a header or a line of the script.
import { z } from "zod";

/** both: sends and receives; send-only: submits, gets no mail; receive-only: gets mail, cannot submit */
export const mailboxModes = ["both", "send-only", "receive-only"] as const;
export const mailboxMode = z.enum(mailboxModes);
export type MailboxMode = z.infer<typeof mailboxMode>;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters refused
const controls = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters refused (not \n, \t)
const bodyControls = /[\u0000-\u0008\u000b-\u001f\u007f]/;

const validDay = (s: string) => {
  const at = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(s);
};
/** a UTC day, YYYY-MM-DD */
export const mailDay = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day YYYY-MM-DD")
  .refine(validDay, "must be a day of the calendar");

export const AUTORESPONDER_BODY_MAX = 8_000;

export const autoresponder = z
  .strictObject({
    /** the reply's subject: one line */
    subject: z
      .string()
      .min(1, "must not be empty")
      .max(200)
      .refine((s) => !controls.test(s), "must be one line without control characters"),
    /** the reply's text: lines (\n), no other control character than a tab */
    body: z
      .string()
      .min(1, "must not be empty")
      .max(AUTORESPONDER_BODY_MAX)
      .refine((s) => !bodyControls.test(s), "must be text: no control characters but \\n and tab"),
    /** first and last day (UTC, inclusive) it answers; null: from now on, until removed */
    start: mailDay.nullable().default(null),
    end: mailDay.nullable().default(null),
    /** one reply per sender in this many days */
    days: z.number().int().min(1).max(365).default(7),
  })
  .refine((a) => !a.start || !a.end || a.start <= a.end, {
    path: ["end"],
    message: "must not be before start",
  });
export type Autoresponder = z.infer<typeof autoresponder>;
