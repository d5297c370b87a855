// A channel's settings to and from its row: the secret fields (SECRET_FIELDS) sealed with the
// master key as one JSON object, the rest kept as JSON; and the channel as the API answers it,
// each secret that is set shown as "[redacted]" and named in `secretsSet`.
import {
  type ChannelSettings,
  channelSettings,
  keepSecrets,
  type NotificationChannel,
  redactSettings,
  SECRET_FIELDS,
} from "@steward/contracts/notifications";
import type { Secrets } from "../../crypto/secrets.ts";
import { invalid } from "../../lib/errors.ts";
import { isoOrNull, msToIso, toBool } from "../../lib/sql.ts";
import type { ChannelRow } from "./repo.ts";

/** The columns of a channel's settings: the plain JSON and the sealed secrets (or null). */
export function sealSettings(settings: ChannelSettings, secrets: Secrets) {
  const plain: Record<string, unknown> = { ...settings };
  const hidden: Record<string, unknown> = {};
  for (const field of SECRET_FIELDS[settings.kind]) {
    if (plain[field] !== undefined) hidden[field] = plain[field];
    delete plain[field];
  }
  return {
    kind: settings.kind,
    settings: JSON.stringify(plain),
    secrets_sealed: Object.keys(hidden).length ? secrets.seal(JSON.stringify(hidden)) : null,
  };
}

/** The settings of a row, its secrets opened: what a send uses, never what is answered. */
export function openSettings(row: ChannelRow, secrets: Secrets): ChannelSettings {
  const hidden = row.secrets_sealed ? JSON.parse(secrets.open(row.secrets_sealed)) : {};
  return channelSettings.parse({ ...JSON.parse(row.settings), ...hidden });
}

/** A channel as the API answers it: no secret, only which are set. */
export function toChannel(row: ChannelRow, secrets: Secrets): NotificationChannel {
  const settings = openSettings(row, secrets);
  const record = settings as Record<string, unknown>;
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    kind: settings.kind,
    enabled: toBool(row.enabled),
    settings: redactSettings(settings),
    secretsSet: SECRET_FIELDS[settings.kind].filter((field) => record[field] !== undefined),
    lastTest:
      row.last_test_at === null
        ? null
        : {
            at: isoOrNull(row.last_test_at) as string,
            ok: toBool(row.last_test_ok),
            status: row.last_test_status,
            error: row.last_test_error,
          },
    createdAt: msToIso(Number(row.created_at)),
    updatedAt: msToIso(Number(row.updated_at)),
  };
}

/** What an audit diff shows of a channel: its answer's fields, secrets already redacted. */
export const publicFields = (channel: NotificationChannel) => ({
  name: channel.name,
  accountId: channel.accountId,
  kind: channel.kind,
  enabled: channel.enabled,
  settings: channel.settings,
});

/**
 * An update's settings: each secret absent or sent back as "[redacted]" is the stored one
 * (when the kind stays), then every field checked again as a whole, 400 naming the field.
 */
export function mergeUpdate(
  next: Record<string, unknown>,
  stored: ChannelSettings,
): ChannelSettings {
  const filled: Record<string, unknown> = { ...next };
  if (next.kind === stored.kind)
    for (const field of SECRET_FIELDS[stored.kind])
      if (filled[field] === undefined) filled[field] = (stored as Record<string, unknown>)[field];
  const parsed = channelSettings.safeParse(keepSecrets(filled as ChannelSettings, stored));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw invalid(["settings", ...(issue?.path ?? [])].join("."), issue?.message ?? "is invalid");
}
