// A notification channel's form in a dialog: new (account or installation-wide, a kind, its
// fields) or an edit (the kind stays). Secret fields are write-only: an edit shows "set" and
// keeps the stored value when the field is left empty.
import { useState } from "react";
import { ApiForm, type FormMutation } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { PickField, SettingField } from "./channel-fields.tsx";
import { CHANNEL_KINDS, type ChannelKind, KINDS, settingsOf, textOf } from "./channel-kinds.ts";
import { useAccounts } from "./tasks-parts.tsx";

export type Channel = Item<"/api/v1/notification-channels">;
interface ChannelInput {
  name: string;
  account?: string;
  enabled: boolean;
  settings: Record<string, unknown>;
}

const initialTexts = (kind: ChannelKind, channel?: Channel) =>
  Object.fromEntries(
    KINDS[kind].fields.map((spec) => [
      spec.name,
      textOf(spec, channel?.settings[spec.name]) || (spec.options?.[0] ?? ""),
    ]),
  );

/** New channel, or the edit of `channel`. */
export function ChannelDialog({
  open,
  onOpenChange,
  channel,
}: DialogProps & { channel?: Channel }) {
  const save = useApiMutation(
    async (body: ChannelInput) =>
      channel
        ? unwrap(
            await api.PATCH("/api/v1/notification-channels/{id}", {
              params: { path: { id: channel.id } },
              body: { name: body.name, enabled: body.enabled, settings: body.settings as never },
            }),
          )
        : unwrap(await api.POST("/api/v1/notification-channels", { body: body as never })),
    { invalidate: [["channels"]], onSuccess: () => onOpenChange(false) },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title={channel ? `Edit the channel ${channel.name}` : "New channel"}
    >
      {(done) => <ChannelForm channel={channel} mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function ChannelForm({
  channel,
  mutation,
  onCancel,
}: {
  channel?: Channel;
  mutation: FormMutation<ChannelInput>;
  onCancel: () => void;
}) {
  const me = useMe();
  const accounts = useAccounts();
  const [name, setName] = useState(channel?.name ?? "");
  const [account, setAccount] = useState(channel?.accountId ?? "");
  const [kind, setKind] = useState<ChannelKind>((channel?.kind as ChannelKind) ?? "email");
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const [texts, setTexts] = useState(() => initialTexts(kind, channel));
  const pickKind = (next: ChannelKind) => {
    setKind(next);
    setTexts(initialTexts(next));
  };
  const specs = KINDS[kind].fields;
  return (
    <ApiForm
      mutation={mutation}
      input={{
        name: name.trim(),
        ...(account ? { account } : {}),
        enabled,
        settings: settingsOf(kind, texts),
      }}
      shown={["name", "account", "settings.kind", ...specs.map((s) => `settings.${s.name}`)]}
      submitLabel={channel ? "Save" : "Create channel"}
      onCancel={onCancel}
    >
      <TextField label="Name" field="name" value={name} onValue={setName} maxLength={100} />
      {channel ? null : (
        <>
          <PickField
            label="Belongs to"
            field="account"
            value={account}
            onValue={setAccount}
            hint="An account's channel reaches public addresses only; an installation-wide one may reach the LAN."
            options={[
              me.can.manageNotifications
                ? { value: "", label: "The installation" }
                : { value: "", label: "Choose an account" },
              ...(accounts.data ?? []).map((a) => ({ value: a.id, label: a.name })),
            ]}
          />
          <PickField
            label="Kind"
            field="settings.kind"
            value={kind}
            onValue={(next) => pickKind(next as ChannelKind)}
            options={CHANNEL_KINDS.map((k) => ({ value: k, label: KINDS[k].label }))}
          />
        </>
      )}
      {specs.map((spec) => (
        <SettingField
          key={`${kind}-${spec.name}`}
          spec={spec}
          isSet={channel?.secretsSet.includes(spec.name) ?? false}
          value={texts[spec.name] ?? ""}
          onValue={(value) => setTexts((t) => ({ ...t, [spec.name]: value }))}
        />
      ))}
      <Checkbox label="Enabled" checked={enabled} onChange={setEnabled} />
    </ApiForm>
  );
}
