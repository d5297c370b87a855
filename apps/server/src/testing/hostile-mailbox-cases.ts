// The hostile values of hostile-input.test.ts for a mailbox's mode, autoresponder and usage
// (issue 18): an autoresponder's subject with CR/LF or NUL, a body with NUL or CR or over
// 8,000 characters (10 KB and more), days that are no calendar day, SQL, an end before the
// start, days out of range; modes that are none; bad ids. Each is refused naming the field
// before anything is written (hostile-mail-cases.ts spreads these in).
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

const BOX = "/api/v1/mail/mailboxes";
const good = { subject: "Away", body: "Back on Monday." };

/** One refusal per route (the "every route" check). */
export function mailboxRouteCases(t: { mailbox: string }): Case[] {
  const auto = `${BOX}/${t.mailbox}/autoresponder`;
  return [
    ["PUT", auto, { ...good, subject: "a\r\nBcc: x@evil.test" }, 400, V, "body.subject"],
    ["DELETE", `${BOX}/${enc(SQL[0])}/autoresponder`, undefined, 400, V, "params.id"],
    ["GET", `${BOX}/${enc(SQL[0])}/usage`, undefined, 400, V, "params.id"],
    ["GET", `/api/v1/accounts/${enc(SQL[0])}/mail-usage`, undefined, 400, V, "params.id"],
  ];
}

/** The rest of the full table (modules/mail/mail-hostile.test.ts, both dialects). */
export function mailboxCases(t: { mailbox: string }): Case[] {
  const auto = `${BOX}/${t.mailbox}/autoresponder`;
  const days = ["2026-13-01", "2026-02-30", "26-12-01", "2026-12-01T00:00", SQL[0], "", 5];
  return [
    ...bodyCases("PUT", auto, good),
    ...fieldCases("PUT", auto, good, "subject", [...CONTROL, "", "x".repeat(201), "a\tb", 5]),
    ...fieldCases("PUT", auto, good, "body", [
      "a\u0000b",
      "a\r\nb",
      "a\u001bb",
      "x".repeat(10_241),
      LONG.repeat(2),
      "",
      null,
    ]),
    ...fieldCases("PUT", auto, good, "start", days),
    ...fieldCases("PUT", auto, good, "end", days),
    ["PUT", auto, { ...good, start: "2026-12-31", end: "2026-12-01" }, 400, V, "body.end"],
    ...fieldCases("PUT", auto, good, "days", [0, 366, 1.5, "7", null]),
    ...fieldCases("PATCH", `${BOX}/${t.mailbox}`, {}, "mode", [
      "evil",
      "both;",
      "SEND-ONLY",
      "",
      ...SQL,
      5,
      null,
    ]),
    ...badIds.flatMap((id): Case[] => [
      ["PUT", `${BOX}/${id}/autoresponder`, good, 400, V, "params.id"],
      ["GET", `${BOX}/${id}/usage`, undefined, 400, V, "params.id"],
      ["GET", `/api/v1/accounts/${id}/mail-usage`, undefined, 400, V, "params.id"],
    ]),
  ];
}
