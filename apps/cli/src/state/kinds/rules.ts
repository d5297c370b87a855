// Notification rules: `notification-rule/<account>--<name>.yaml` (an installation rule's
// `notification-rule/<name>.yaml`) with what they match and the channels they send to, by the
// channels' file names. A rule scoped to one monitor or node names it; a rule scoped to one
// target of another type is refused at export, naming its file (never dropped silently).
import type { RuleSettings } from "@steward/contracts/notifications";
import { type RuleFile, ruleTargetTypes, scopedFileName } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { StateRefused } from "../files.ts";
import { addLabelled, idOf, type KindOps, nameOf, type Reference, type Refs } from "../kind.ts";

interface Rule {
  id: string;
  accountId: string | null;
  name: string;
  enabled: boolean;
  settings: RuleSettings;
  channels: { id: string }[];
}

type TargetType = (typeof ruleTargetTypes)[number];
const named = (type: string): type is TargetType =>
  (ruleTargetTypes as readonly string[]).includes(type);
/** where the names of a target type's targets are */
const targets = (refs: Refs, type: TargetType) => (type === "monitor" ? refs.monitors : refs.nodes);

/** What the API takes of a file: channels and the scope's target as ids. */
function body(refs: Refs, f: RuleFile) {
  const { scope, ...settings } = f.settings;
  const targetId =
    scope?.target == null || !named(scope.targetType)
      ? null
      : idOf(
          targets(refs, scope.targetType),
          "settings.scope.target",
          scope.target,
          scope.targetType,
        );
  return {
    name: f.name,
    enabled: f.enabled,
    settings: { ...settings, scope: scope && { targetType: scope.targetType, targetId } },
    channels: f.channels.map((c, i) => idOf(refs.channels, `channels.${i}`, c, "channel")),
  };
}

export const rules: KindOps<"notification-rule"> = {
  kind: "notification-rule",
  fixed: ["account"],
  refers: (f) => {
    const out: Reference[] = [];
    if (f.account !== null) out.push({ field: "account", to: "account", name: f.account });
    const scope = f.settings.scope;
    if (scope?.target != null && named(scope.targetType))
      out.push({ field: "settings.scope.target", to: scope.targetType, name: scope.target });
    f.channels.forEach((c, i) => {
      out.push({ field: `channels.${i}`, to: "channel", name: c });
    });
    return out;
  },
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: RuleFile }>();
    for (const r of await api.all<Rule>("/api/v1/notification-rules")) {
      const account = r.accountId === null ? null : nameOf(refs.accounts, r.accountId);
      const name = scopedFileName({ account, name: r.name });
      const { scope, ...settings } = r.settings;
      if (scope?.targetId != null && !named(scope.targetType))
        throw new StateRefused(
          `notification-rule/${name}.yaml: settings.scope.targetId: a rule for one ${scope.targetType} cannot be a file yet (only one ${ruleTargetTypes.join(" or ")})`,
        );
      const target =
        scope?.targetId == null || !named(scope.targetType)
          ? null
          : nameOf(targets(refs, scope.targetType), scope.targetId);
      const file: RuleFile = {
        name: r.name,
        account,
        enabled: r.enabled,
        settings: { ...settings, scope: scope && { targetType: scope.targetType, target } },
        channels: r.channels.map((c) => nameOf(refs.channels, c.id)).sort(),
      };
      addLabelled(out, "notification-rule", name, { id: r.id, file });
    }
    return out;
  },
  async create(api, refs, file) {
    await api.send("POST", "/api/v1/notification-rules", {
      ...body(refs, file),
      ...(file.account === null
        ? {}
        : { account: idOf(refs.accounts, "account", file.account, "account") }),
    });
  },
  async update(api, refs, current, file) {
    await api.send("PATCH", `/api/v1/notification-rules/${current.id}`, body(refs, file));
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/notification-rules/${current.id}`);
  },
};
