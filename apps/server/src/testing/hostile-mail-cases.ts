// The hostile values of hostile-input.test.ts for the mail API (issue 18): local parts and
// addresses with newlines, `%`, `!`, quotes, `..`, comment and map characters, 300
// characters; domains that are no domain (and look-alike IDNs); passwords with control
// characters; quotas out of range; bad ids. Each is refused naming the field before anything
// is written (a map or passwd-file line can only come from a value that passed).
import { BAD_DOMAIN_NAMES, BAD_MAIL_LOCAL_PARTS } from "@steward/contracts/testing";
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, badPages, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";
import { mailboxCases, mailboxRouteCases } from "./hostile-mailbox-cases.ts";

export interface HostileMail {
  /** a trusted node with no agent */
  node: string;
  /** a mail domain of account A on it, and one of its mailboxes */
  domain: string;
  mailbox: string;
}

const D = "/api/v1/mail/domains";
const BOX = "/api/v1/mail/mailboxes";
const BAD_ADDRESSES = [
  ...BAD_MAIL_LOCAL_PARTS.map((l) => `${l}@example.net`),
  "someone@example.net\nbcc@evil.test",
  "a@b.test,c@d.test",
  "no-at-sign",
  "a@b@c.test",
  "a@localhost",
  "a@127.0.0.1",
  "a@exa mple.com",
  "a@\u212Aelvin.test",
  `a@${"x".repeat(250)}.test`,
  5,
  null,
];

/** One refusal per mail route, for hostile-input.test.ts's "every route" check. */
export function mailRouteCases(t: HostileMail): Case[] {
  return [
    ["POST", D, { name: "x\ny.test", node: t.node }, 400, V, "body.name"],
    ["GET", `${D}?node=${enc(SQL[0])}`, undefined, 400, V, "querystring.node"],
    ["GET", `${D}/${enc(SQL[0])}`, undefined, 400, V, "params.id"],
    ["DELETE", `${D}/${enc(SQL[0])}`, undefined, 400, V, "params.id"],
    ["PATCH", `${D}/${t.domain}`, { certificateSite: SQL[0] }, 400, V, "body.certificateSite"],
    ["POST", `${D}/${enc(SQL[0])}/apply`, undefined, 400, V, "params.id"],
    ["PUT", `${D}/${t.domain}/spam`, { spamFilter: SQL[0] }, 400, V, "body.spamFilter"],
    ["PUT", `${D}/${t.domain}/virus`, { virusFilter: SQL[0] }, 400, V, "body.virusFilter"],
    ["GET", `${D}/${enc(SQL[0])}/mailboxes`, undefined, 400, V, "params.id"],
    [
      "POST",
      `${D}/${t.domain}/mailboxes`,
      { localPart: "a\nb", password: "long-enough-1" },
      400,
      V,
      "body.localPart",
    ],
    ["PATCH", `${BOX}/${t.mailbox}`, { quotaMb: -1 }, 400, V, "body.quotaMb"],
    [
      "POST",
      `${BOX}/${t.mailbox}/password`,
      { password: "a\u0000bcdefghijk" },
      400,
      V,
      "body.password",
    ],
    ["DELETE", `${BOX}/${enc(SQL[0])}`, undefined, 400, V, "params.id"],
    ["GET", `${D}/${enc(SQL[0])}/aliases`, undefined, 400, V, "params.id"],
    [
      "POST",
      `${D}/${t.domain}/aliases`,
      { localPart: "info", destinations: ["a@b.test\nbcc@evil.test"] },
      400,
      V,
      "body.destinations.0",
    ],
    ["DELETE", `/api/v1/mail/aliases/${enc(SQL[0])}`, undefined, 400, V, "params.id"],
    ["GET", `${D}/${enc(SQL[0])}/dkim`, undefined, 400, V, "params.id"],
    ["POST", `${D}/${t.domain}/dkim/rotate`, { selector: "../x" }, 400, V, "body.selector"],
    ["GET", `${D}/${enc(SQL[0])}/dns-check`, undefined, 400, V, "params.id"],
    ["PATCH", `${D}/${t.domain}/dkim`, { dmarcReport: "a\nb" }, 400, V, "body.dmarcReport"],
    // modes, autoresponders, usage (hostile-mailbox-cases.ts)
    ...mailboxRouteCases(t),
  ];
}

/** DKIM selectors that must never reach a KeyTable line, a key file name or a record name. */
export const BAD_SELECTORS = [
  "../x",
  "..",
  "a/b",
  "a\nb",
  "a\u0000b",
  "x".repeat(64),
  "_domainkey",
  "a._domainkey.evil",
  "s1._domainkey",
  "a.b",
  "-a",
  "a-",
  "A",
  "a b",
  "a;b",
  "a--",
  "s'1",
  '"s1"',
  "`s1`",
  "",
  LONG,
  5,
  null,
];

/** The full table, run by modules/mail/mail-hostile.test.ts on both dialects. */
export function mailCases(t: HostileMail): Case[] {
  const domain = { name: "hostile-new.example.org", node: t.node };
  const box = { localPart: "new", password: "long-enough-1" };
  const alias = { localPart: "fwd", destinations: ["someone@example.net"] };
  const boxes = `${D}/${t.domain}/mailboxes`;
  const aliases = `${D}/${t.domain}/aliases`;
  const spam = `${D}/${t.domain}/spam`;
  const virus = `${D}/${t.domain}/virus`;
  return [
    ...mailRouteCases(t),
    ...mailboxCases(t),
    ...bodyCases("POST", D, domain),
    ...fieldCases("POST", D, domain, "name", [...BAD_DOMAIN_NAMES, "\u212Aelvin.test", 5, null]),
    ...fieldCases("POST", D, domain, "node", [SQL[0], "../x", "", null]),
    ...fieldCases("POST", D, domain, "account", [SQL[1], "a b"]),
    ["POST", D, { ...domain, account: "acc_missing" }, 400, V, "account"],
    ...fieldCases("PATCH", `${D}/${t.domain}`, {}, "certificateSite", [
      "site_missing",
      "../x",
      "a\u0000b",
      5,
    ]),
    ["PATCH", `${D}/${t.domain}`, {}, 400, V, "body.certificateSite"],
    // spam filtering (spam.ts): a mode, days in range, and rspamd on the node for tag/reject
    ...bodyCases("PUT", spam, { spamFilter: "off" }),
    ...fieldCases("PUT", spam, { spamFilter: "off" }, "spamFilter", [
      "quarantine",
      "TAG",
      "tag\n",
      SQL[0],
      "",
      5,
      null,
    ]),
    ...fieldCases("PUT", spam, { spamFilter: "off" }, "junkDays", [0, -1, 3651, 1.5, "30", null]),
    ["PUT", spam, { spamFilter: "tag" }, 400, V, "body.spamFilter"],
    ["PUT", `${D}/${enc(SQL[0])}/spam`, { spamFilter: "off" }, 400, V, "params.id"],
    // virus scanning (virus.ts): a mode, and rspamd and clamd on the node for reject
    ...bodyCases("PUT", virus, { virusFilter: "off" }),
    ...fieldCases("PUT", virus, { virusFilter: "off" }, "virusFilter", [
      "quarantine",
      "REJECT",
      "reject\n",
      "reject\u0000",
      "../reject",
      "`reject`",
      "reject; --",
      SQL[0],
      "x".repeat(201),
      "null",
      "select",
      "",
      5,
      null,
      true,
    ]),
    ["PUT", virus, { virusFilter: "reject" }, 400, V, "body.virusFilter"],
    ["PUT", `${D}/${enc(SQL[0])}/virus`, { virusFilter: "off" }, 400, V, "params.id"],
    ...bodyCases("POST", boxes, box),
    ...fieldCases("POST", boxes, box, "localPart", [...BAD_MAIL_LOCAL_PARTS, 5, null]),
    ...fieldCases("POST", boxes, box, "password", [
      "short",
      ...CONTROL.map((c) => `${c}-long-enough`),
      "x".repeat(129),
      5,
      null,
    ]),
    ...fieldCases("POST", boxes, box, "quotaMb", [-1, 1.5, 1_048_577, "10", null]),
    ...fieldCases("POST", boxes, box, "enabled", ["yes", 1]),
    ...fieldCases("PATCH", `${BOX}/${t.mailbox}`, {}, "quotaMb", [-1, "x", 2 ** 40]),
    ["PATCH", `${BOX}/${t.mailbox}`, {}, 400, V, "body"],
    ...fieldCases("POST", `${BOX}/${t.mailbox}/password`, { password: "" }, "password", [
      "",
      "short",
      "ab\ncdefghijkl",
      LONG,
    ]),
    ...bodyCases("POST", aliases, alias),
    ...fieldCases("POST", aliases, alias, "localPart", [...BAD_MAIL_LOCAL_PARTS.slice(0, -1), 5]),
    ...BAD_ADDRESSES.map(
      (d): Case => [
        "POST",
        aliases,
        { ...alias, destinations: [d] },
        400,
        V,
        "body.destinations.0",
      ],
    ),
    ...fieldCases("POST", aliases, alias, "destinations", [
      [],
      "a@b.test",
      Array(51).fill("a@b.test"),
    ]),
    ["POST", aliases, { destinations: ["a@b.test"] }, 400, V, "body.localPart"],
    ["POST", aliases, { ...alias, catchAll: true }, 400, V, "body.localPart"],
    ...bodyCases("POST", `${D}/${t.domain}/dkim/rotate`, {}),
    ...fieldCases("POST", `${D}/${t.domain}/dkim/rotate`, {}, "selector", BAD_SELECTORS),
    ...bodyCases("PATCH", `${D}/${t.domain}/dkim`, { spfAll: "-all" }),
    ["PATCH", `${D}/${t.domain}/dkim`, {}, 400, V, "body"],
    ...fieldCases("PATCH", `${D}/${t.domain}/dkim`, {}, "spfAll", [
      "all",
      "+all",
      "?all",
      "~all;",
      5,
    ]),
    ...fieldCases("PATCH", `${D}/${t.domain}/dkim`, {}, "dmarcPolicy", [
      "None",
      "none; rua=mailto:x@evil.test",
      "",
    ]),
    ...fieldCases("PATCH", `${D}/${t.domain}/dkim`, {}, "dmarcReport", [
      ...BAD_MAIL_LOCAL_PARTS,
      "x@evil.test",
      "nobody-here",
      5,
    ]),
    ...badIds.flatMap((id): Case[] => [
      ["GET", `${D}/${id}`, undefined, 400, V, "params.id"],
      ["POST", `${D}/${id}/mailboxes`, box, 400, V, "params.id"],
      ["PATCH", `${BOX}/${id}`, { quotaMb: 1 }, 400, V, "params.id"],
      ["DELETE", `/api/v1/mail/aliases/${id}`, undefined, 400, V, "params.id"],
      ["GET", `${D}/${id}/dkim`, undefined, 400, V, "params.id"],
      ["POST", `${D}/${id}/dkim/rotate`, {}, 400, V, "params.id"],
      ["GET", `${D}/${id}/dns-check`, undefined, 400, V, "params.id"],
      ["PATCH", `${D}/${id}/dkim`, { spfAll: "-all" }, 400, V, "params.id"],
    ]),
    ...badPages.flatMap(([q, field]): Case[] => [
      ["GET", `${D}?${q}`, undefined, 400, V, field as string],
      ["GET", `${boxes}?${q}`, undefined, 400, V, field as string],
    ]),
  ];
}
