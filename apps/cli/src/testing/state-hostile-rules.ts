// Hostile notification rule files and the refusal each gets (state/files.test.ts), as in
// state-hostile-files.ts.

/** Rule "Down" of account shop sending to shop--alerts, with some lines instead of the usual. */
const rule = (lines: Record<string, string>) =>
  Object.entries({
    ...{ name: "Down", account: "shop", channels: "[shop--alerts]" },
    settings: "{ eventTypes: [monitor.] }",
    ...lines,
  })
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");
const FILE = "notification-rule/shop--down.yaml";

export const hostileRuleFiles: [file: string, text: string, refusal: string][] = [
  [
    FILE,
    rule({ channels: "[blog--alerts]" }),
    `${FILE}: channels.0: must be a channel of account shop (shop--<name>)`,
  ],
  [
    "notification-rule/down.yaml",
    rule({ account: "null" }),
    "notification-rule/down.yaml: channels.0: must be an installation channel",
  ],
  [FILE, rule({ channels: "[shop--a..b]" }), `${FILE}: channels.0: must not contain ..`],
  [FILE, rule({ channels: "[]" }), `${FILE}: channels: must name at least one channel`],
  [FILE, rule({ name: '"Down\\nX-Evil: 1"' }), `${FILE}: name:`],
  [FILE, rule({ owner: "root" }), `${FILE}: owner: is not a known field`],
  [
    FILE,
    rule({ account: "null", channels: "[ops-mail]" }),
    `${FILE}: file: must be named down.yaml after what it holds`,
  ],
  [
    FILE,
    rule({ settings: '{ eventTypes: ["monitor.; rm -rf /"] }' }),
    `${FILE}: settings.eventTypes.0: must be an event type or a prefix ending with a dot`,
  ],
  [
    FILE,
    rule({ settings: "{ eventTypes: [monitor.], repeatMinutes: 99999 }" }),
    `${FILE}: settings.repeatMinutes: must be at most 10080`,
  ],
  [
    FILE,
    rule({
      settings:
        "{ eventTypes: [monitor.], quietHours: { start: '22:00', end: '07:00', timeZone: \"Europe/Berlin'; DROP\" } }",
    }),
    `${FILE}: settings.quietHours.timeZone: must be an IANA time zone`,
  ],
  [
    FILE,
    rule({
      settings: "{ eventTypes: [site.], scope: { targetType: site, target: shop.example } }",
    }),
    `${FILE}: settings.scope.target: can name one monitor or node only`,
  ],
  [
    FILE,
    rule({ settings: "{ eventTypes: [monitor.], scope: { targetType: 'mon`itor' } }" }),
    `${FILE}: settings.scope.targetType: must be a target type`,
  ],
  [
    FILE,
    rule({ settings: "{ eventTypes: [monitor.], scope: { targetType: monitor, targetId: x } }" }),
    `${FILE}: settings.scope.targetId: is not a known field`,
  ],
  [
    FILE,
    rule({ settings: '{ eventTypes: [monitor.], scope: { targetType: node, target: "web-1;" } }' }),
    `${FILE}: settings.scope.target: must be lowercase letters`,
  ],
];
