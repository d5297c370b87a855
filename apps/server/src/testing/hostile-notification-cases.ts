// The hostile values of hostile-input.test.ts for notification channels and message templates:
// names, URLs (every spelling of loopback, link-local and private addresses for an account's
// channel), headers, and templates with Liquid tricks; each refused naming its field.

import type { World } from "./fixtures.ts";
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import {
  badIds,
  badPages,
  bodyCases,
  type Case,
  fieldCases,
  V,
  withField,
} from "./hostile-cases.ts";

const CHANNELS = "/api/v1/notification-channels";
const TEMPLATES = "/api/v1/message-templates";
const SECRET = "whsec_0123456789abcdef";
/** a channel's name is any one line of text (quotes and SQL included), at most 100 characters */
const BAD_NAMES = [...CONTROL, "", " ", "x".repeat(101), LONG, 5, null];

/** `channel`: a webhook channel of account A named "hostile-target". */
export function notificationCases(w: World, channel: string): Case[] {
  const hook = { kind: "webhook", url: "https://hooks.example.com/steward", secret: SECRET };
  const create = { name: "hostile-hook", account: w.a, settings: hook };
  const withSettings = (settings: Record<string, unknown>, status: number, field: string): Case => [
    "POST",
    CHANNELS,
    { ...create, settings: { ...hook, ...settings } },
    status,
    V,
    field,
  ];
  const template = { subject: "{{ event.summary }}", body: "{{ fields.monitorName }}" };
  const one = `${TEMPLATES}/monitor.down/text`;
  return [
    ...bodyCases("POST", CHANNELS, create),
    ...fieldCases("POST", CHANNELS, create, "name", BAD_NAMES),
    ...fieldCases("POST", CHANNELS, create, "account", [SQL[0], "a b", 5]),
    ...fieldCases("POST", CHANNELS, create, "enabled", ["yes", 1]),
    ["POST", CHANNELS, withField(create, "name", "hostile-target"), 409, "CONFLICT", "name"],
    ["POST", CHANNELS, withField(create, "account", "acc_missing"), 400, V, "account"],
    // URLs the schema refuses as written
    ...[
      "ftp://hooks.example.com/x",
      "javascript:alert(1)",
      "file:///etc/passwd",
      "https://user:pw@hooks.example.com/x",
      "http://2130706433/x",
      "http://0x7f.1/x",
      "http://[::ffff:127.0.0.1]/x",
      "https://hooks.example.com/x\n",
      ` https://hooks.example.com/x`,
      `https://hooks.example.com/${LONG}`,
      SQL[0],
      5,
      null,
    ].map((url) => withSettings({ url }, 400, "body.settings.url")),
    // targets an account's channel may not reach: the panel's machine, link-local, private
    ...[
      "http://127.0.0.1/hook",
      "http://localhost:8080/api/v1/me",
      "http://[::1]/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://[fe80::1]/hook",
      "http://10.0.0.5/hook",
      "http://192.168.1.10/hook",
    ].map((url) => withSettings({ url }, 400, "settings.url")),
    withSettings({ headers: { Host: "evil.example" } }, 400, "body.settings.headers.Host"),
    withSettings(
      { headers: { "X-Steward-Signature": "x" } },
      400,
      "body.settings.headers.X-Steward-Signature",
    ),
    withSettings({ headers: { "X-A": "a\r\nInjected: 1" } }, 400, "body.settings.headers.X-A"),
    withSettings({ headers: { "Bad Name": "x" } }, 400, "body.settings.headers.Bad Name"),
    withSettings({ secret: "short" }, 400, "body.settings.secret"),
    withSettings({ surprise: 1 }, 400, "body.settings.surprise"),
    withSettings({ kind: "bogus" }, 400, "body.settings.kind"),
    [
      "POST",
      CHANNELS,
      { ...create, settings: { kind: "telegram", botToken: SQL[0], chatId: "-100" } },
      400,
      V,
      "body.settings.botToken",
    ],
    [
      "POST",
      CHANNELS,
      {
        ...create,
        settings: {
          kind: "email",
          host: "smtp.example.com",
          from: "panel@example.com",
          to: ["ops@example.com\r\nBcc: all@example.com"],
        },
      },
      400,
      V,
      "body.settings.to.0",
    ],
    // the list's filters
    ...["kind=bogus", `account=${enc(SQL[0])}`, `q=${LONG}`].map(
      (q): Case => ["GET", `${CHANNELS}?${q}`, undefined, 400, V, `querystring.${q.split("=")[0]}`],
    ),
    ...badPages.map(
      ([q = "", field = ""]): Case => ["GET", `${CHANNELS}?${q}`, undefined, 400, V, field],
    ),
    // one channel: bad and missing ids, updates
    ...badIds.flatMap((id): Case[] => [
      ["GET", `${CHANNELS}/${id}`, undefined, 400, V, "params.id"],
      ["DELETE", `${CHANNELS}/${id}`, undefined, 400, V, "params.id"],
      ["POST", `${CHANNELS}/${id}/test`, undefined, 400, V, "params.id"],
    ]),
    ["GET", `${CHANNELS}/nch_missing`, undefined, 404, "NOT_FOUND", ""],
    ["PATCH", `${CHANNELS}/nch_missing`, { enabled: false }, 404, "NOT_FOUND", ""],
    ["DELETE", `${CHANNELS}/nch_missing`, undefined, 404, "NOT_FOUND", ""],
    ["POST", `${CHANNELS}/nch_missing/test`, undefined, 404, "NOT_FOUND", ""],
    ...bodyCases("PATCH", `${CHANNELS}/${channel}`, { enabled: true }),
    ...fieldCases("PATCH", `${CHANNELS}/${channel}`, {}, "name", BAD_NAMES),
    [
      "PATCH",
      `${CHANNELS}/${channel}`,
      { settings: { kind: "webhook", url: "http://169.254.169.254/" } },
      400,
      V,
      "settings.url",
    ],
    // another kind: its secrets are not the stored ones, so they must be given
    [
      "PATCH",
      `${CHANNELS}/${channel}`,
      { settings: { kind: "slack" } },
      400,
      V,
      "settings.webhookUrl",
    ],
    // templates: the path names a type and a format of the catalogue
    ["GET", `${TEMPLATES}/bogus.type/text`, undefined, 400, V, "params.type"],
    ["GET", `${TEMPLATES}/monitor.down/pdf`, undefined, 400, V, "params.format"],
    ["DELETE", `${TEMPLATES}/${enc(SQL[0])}/text`, undefined, 400, V, "params.type"],
    ["PUT", `${TEMPLATES}/__proto__/html`, template, 400, V, "params.type"],
    ...bodyCases("PUT", one, template),
    ...fieldCases("PUT", one, template, "subject", ["x".repeat(8001), 5, null]),
    // Liquid tricks: unknown fields, prototype walks, removed tags and filters, runaway loops
    ...(
      [
        ["subject", "{{ fields.nodeName }}"],
        ["subject", "{{ event.constructor.name }}"],
        ["body", "{{ fields.__proto__ }}"],
        ["body", '{% include "/etc/passwd" %}'],
        ["body", '{% render "x" %}'],
        ["body", "{{ event.summary | raw }}"],
        ["body", "{{ event.summary | nosuchfilter }}"],
        [
          "body",
          "{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}",
        ],
        ["body", "{% if %}"],
        ["body", "{{ 'x' | append: event.summary"],
      ] as const
    ).map(
      ([field, source]): Case => ["PUT", one, withField(template, field, source), 400, V, field],
    ),
    ...bodyCases("POST", `${TEMPLATES}/preview`, { type: "monitor.down", format: "html" }),
    ...fieldCases("POST", `${TEMPLATES}/preview`, { format: "html" }, "type", [
      "bogus",
      SQL[0],
      null,
    ]),
    ...fieldCases("POST", `${TEMPLATES}/preview`, { type: "monitor.down" }, "format", [
      "pdf",
      ...CONTROL,
    ]),
    [
      "POST",
      `${TEMPLATES}/preview`,
      { type: "monitor.up", format: "html", body: "{{ fields.error }}" },
      400,
      V,
      "body",
    ],
  ];
}
