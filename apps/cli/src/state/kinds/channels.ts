// Notification channels: `channel/<account>--<name>.yaml` (an installation channel's
// `channel/<name>.yaml`). Each secret field that is set is written as the secret a new channel
// takes from `--secrets FILE` (`channel/<file name>/<field>`; a webhook's headers as a JSON
// object); an existing channel keeps its secrets (the panel never answers them), as a mailbox
// keeps its password.
import type { ChannelKind } from "@steward/contracts/notifications";
import { SECRET_FIELDS } from "@steward/contracts/notifications";
import { type ChannelFile, channelSecret, scopedFileName } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import {
  addLabelled,
  idOf,
  type KindOps,
  MissingReference,
  nameOf,
  type Refs,
  type Secrets,
} from "../kind.ts";

interface Channel {
  id: string;
  accountId: string | null;
  name: string;
  enabled: boolean;
  settings: { kind: ChannelKind } & Record<string, unknown>;
  secretsSet: string[];
}

const secretFields = (kind: ChannelKind): readonly string[] => SECRET_FIELDS[kind];

/** The settings without their secrets: what an update sends (an absent secret is kept). */
function withoutSecrets(settings: ChannelFile["settings"]) {
  const out: Record<string, unknown> = { ...settings };
  for (const field of secretFields(settings.kind)) delete out[field];
  return out;
}

/** The settings with each secret's value from `--secrets` (headers: a JSON object). */
function withSecrets(settings: ChannelFile["settings"], secrets: Secrets) {
  const out: Record<string, unknown> = { ...settings };
  for (const field of secretFields(settings.kind)) {
    const ref = out[field] as { secret: string } | undefined;
    if (!ref) continue;
    const value = secrets.get(ref.secret);
    if (field !== "headers") out[field] = value;
    else
      try {
        out[field] = JSON.parse(value ?? "");
      } catch {
        throw new MissingReference(
          "settings.headers",
          `secret ${ref.secret} must be a JSON object of headers`,
        );
      }
  }
  return out;
}

export const channels: KindOps<"channel"> = {
  kind: "channel",
  fixed: ["account"],
  refers: (f) => (f.account === null ? [] : [{ field: "account", to: "account", name: f.account }]),
  secrets: (f) =>
    secretFields(f.settings.kind).flatMap((field) => {
      const ref = f.settings[field] as { secret: string } | undefined;
      return ref ? [{ field: `settings.${field}`, name: ref.secret }] : [];
    }),
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: ChannelFile }>();
    for (const c of await api.all<Channel>("/api/v1/notification-channels")) {
      const account = c.accountId === null ? null : nameOf(refs.accounts, c.accountId);
      const name = scopedFileName({ account, name: c.name });
      const settings = { ...c.settings };
      for (const field of secretFields(c.settings.kind))
        if (c.secretsSet.includes(field)) settings[field] = { secret: channelSecret(name, field) };
        else delete settings[field];
      const file = { name: c.name, account, enabled: c.enabled, settings };
      addLabelled(out, "channel", name, { id: c.id, file });
    }
    return out;
  },
  async create(api, refs, file, secrets) {
    await api.send("POST", "/api/v1/notification-channels", {
      name: file.name,
      ...(file.account === null
        ? {}
        : { account: idOf(refs.accounts, "account", file.account, "account") }),
      enabled: file.enabled,
      settings: withSecrets(file.settings, secrets),
    });
  },
  async update(api, _refs, current, file) {
    await api.send("PATCH", `/api/v1/notification-channels/${current.id}`, {
      enabled: file.enabled,
      settings: withoutSecrets(file.settings),
    });
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/notification-channels/${current.id}`);
  },
};
