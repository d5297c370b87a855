// The installation's emergency contact (super users): the installation channel that gets a
// critical event no rule takes. It should not depend on the installation's own mail server
// only (a webhook, a chat or a push service).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { PickField } from "./channel-fields.tsx";

/** Installation channels, for the emergency contact and installation rules. */
export function useInstallationChannels() {
  return useQuery({
    queryKey: ["channels", "options"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/notification-channels", { params: { query: { limit: 200 } } }))
        .items,
    staleTime: 30_000,
  });
}

export function EmergencyContact() {
  const current = useQuery({
    queryKey: ["notification-settings"],
    queryFn: async () => unwrap(await api.GET("/api/v1/notification-settings")),
  });
  const channels = useInstallationChannels();
  const [channel, setChannel] = useState("");
  useEffect(() => setChannel(current.data?.emergencyChannel ?? ""), [current.data]);
  const save = useApiMutation(
    async (emergencyChannel: string | null) =>
      unwrap(await api.PUT("/api/v1/notification-settings", { body: { emergencyChannel } })),
    { invalidate: [["notification-settings"]] },
  );
  const installationChannels = (channels.data ?? []).filter((c) => c.accountId === null);
  return (
    <Card title="Emergency contact">
      <ApiForm
        mutation={save}
        input={channel || null}
        shown={["emergencyChannel"]}
        submitLabel={save.isSuccess ? "Saved" : "Save contact"}
        onCancel={() => setChannel(current.data?.emergencyChannel ?? "")}
      >
        <p className="text-sm text-fg-muted">
          A critical event no rule takes goes here. Choose a channel that does not need this
          installation's own mail server.
        </p>
        <PickField
          label="Emergency channel"
          field="emergencyChannel"
          value={channel}
          onValue={setChannel}
          options={[
            { value: "", label: "None" },
            ...installationChannels.map((c) => ({ value: c.id, label: c.name })),
          ]}
        />
      </ApiForm>
    </Card>
  );
}
