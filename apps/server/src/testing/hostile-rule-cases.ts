// The hostile values of hostile-input.test.ts for notification rules, the delivery log and
// the emergency contact: names, settings (types, severities, scopes, windows, time zones),
// channels outside the rule's scope, filters and ids; each refused naming its field.
import type { World } from "./fixtures.ts";
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, badPages, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

const RULES = "/api/v1/notification-rules";
const BAD_NAMES = [...CONTROL, "", " ", "x".repeat(101), LONG, 5, null];

/** `channel`: a channel of account A; `rule`: a rule of account A naming it. */
export function ruleCases(w: World, channel: string, rule: string): Case[] {
  const settings = { eventTypes: ["site."] };
  const create = { name: "hostile-rule-new", account: w.a, settings, channels: [channel] };
  const withSettings = (more: Record<string, unknown>, field: string): Case => [
    "POST",
    RULES,
    { ...create, settings: { ...settings, ...more } },
    400,
    V,
    `body.settings.${field}`,
  ];
  const quiet = { start: "22:00", end: "07:00", timeZone: "Europe/Berlin" };
  const deliveries = `/api/v1/notification-channels/${channel}/deliveries`;
  return [
    ...bodyCases("POST", RULES, create),
    ...bodyCases("PATCH", `${RULES}/${rule}`, { enabled: false }),
    ...fieldCases("POST", RULES, create, "name", BAD_NAMES),
    ...fieldCases("POST", RULES, create, "account", [SQL[0], "a b", 5]),
    ...fieldCases("POST", RULES, create, "enabled", ["yes", 1]),
    ...fieldCases("POST", RULES, create, "channels", [[], "nch_1", null]),
    ["POST", RULES, { ...create, channels: [channel, channel] }, 400, V, "body.channels"],
    ["POST", RULES, { ...create, channels: [SQL[0]] }, 400, V, "body.channels.0"],
    // channels that do not exist or are outside the rule's scope
    ["POST", RULES, { ...create, channels: ["nch_missing"] }, 400, V, "channels.0"],
    ["POST", RULES, { ...create, account: undefined }, 400, V, "channels.0"],
    ["POST", RULES, { ...create, name: "hostile-rule" }, 409, "CONFLICT", "name"],
    ["POST", RULES, { ...create, account: "acc_missing" }, 400, V, "account"],
    withSettings({ eventTypes: [] }, "eventTypes"),
    withSettings({ eventTypes: ["Site.Failed"] }, "eventTypes.0"),
    withSettings({ eventTypes: [SQL[0]] }, "eventTypes.0"),
    withSettings({ minSeverity: "loud" }, "minSeverity"),
    withSettings({ outcome: "maybe" }, "outcome"),
    withSettings({ scope: { targetType: "Site; drop" } }, "scope.targetType"),
    withSettings({ repeatMinutes: -1 }, "repeatMinutes"),
    withSettings({ groupSeconds: 3601 }, "groupSeconds"),
    withSettings({ flap: { changes: 1, windowMinutes: 10 } }, "flap.changes"),
    withSettings({ quietHours: { ...quiet, timeZone: "Mars/Base" } }, "quietHours.timeZone"),
    withSettings({ quietHours: { ...quiet, start: "24:00" } }, "quietHours.start"),
    withSettings({ quietHours: { ...quiet, end: "22:00", start: "22:00" } }, "quietHours.end"),
    withSettings({ quietHours: { ...quiet, days: ["someday"] } }, "quietHours.days.0"),
    withSettings({ surprise: 1 }, "surprise"),
    ["PATCH", `${RULES}/${rule}`, { channels: ["nch_missing"] }, 400, V, "channels.0"],
    [
      "PATCH",
      `${RULES}/${rule}`,
      { settings: { eventTypes: [5] } },
      400,
      V,
      "body.settings.eventTypes.0",
    ],
    ...[`account=${enc(SQL[0])}`, "bogus=1"].map(
      (q): Case => ["GET", `${RULES}?${q}`, undefined, 400, V, `querystring.${q.split("=")[0]}`],
    ),
    ...badPages.map(
      ([q = "", field = ""]): Case => ["GET", `${RULES}?${q}`, undefined, 400, V, field],
    ),
    ...badIds.flatMap((id): Case[] => [
      ["GET", `${RULES}/${id}`, undefined, 400, V, "params.id"],
      ["PATCH", `${RULES}/${id}`, { enabled: false }, 400, V, "params.id"],
      ["DELETE", `${RULES}/${id}`, undefined, 400, V, "params.id"],
      ["GET", `/api/v1/notification-channels/${id}/deliveries`, undefined, 400, V, "params.id"],
      ["GET", `/api/v1/notification-deliveries/${id}`, undefined, 400, V, "params.id"],
    ]),
    ["GET", `${RULES}/nrl_missing`, undefined, 404, "NOT_FOUND", ""],
    ["DELETE", `${RULES}/nrl_missing`, undefined, 404, "NOT_FOUND", ""],
    ["GET", "/api/v1/notification-deliveries/ndl_missing", undefined, 404, "NOT_FOUND", ""],
    // the delivery log's filters
    ...["state=lost", "from=yesterday", `to=${enc(SQL[0])}`].map(
      (q): Case => [
        "GET",
        `${deliveries}?${q}`,
        undefined,
        400,
        V,
        `querystring.${q.split("=")[0]}`,
      ],
    ),
    ...badPages.map(
      ([q = "", field = ""]): Case => ["GET", `${deliveries}?${q}`, undefined, 400, V, field],
    ),
    // the emergency contact: an installation channel, or none
    ...bodyCases("PUT", "/api/v1/notification-settings", { emergencyChannel: null }),
    [
      "PUT",
      "/api/v1/notification-settings",
      { emergencyChannel: SQL[0] },
      400,
      V,
      "body.emergencyChannel",
    ],
    ["PUT", "/api/v1/notification-settings", {}, 400, V, "body.emergencyChannel"],
    [
      "PUT",
      "/api/v1/notification-settings",
      { emergencyChannel: channel },
      400,
      V,
      "emergencyChannel",
    ],
  ];
}
