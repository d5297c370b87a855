// The tunnels page's dialogs (docs/tunnels.md). "Add a tunnel" (POST /api/v1/tunnels): a
// node's locally managed cloudflared tunnel, by its Cloudflare account id, tunnel id and the
// zone its hostnames are routed in, with an API token (write-only: sealed by the panel, never
// shown); Cloudflare is asked first. "Forward a hostname" (POST /api/v1/tunnels/{id}/routes):
// a name of the zone to a local port of the node. Each refusal is shown at its field.
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldErrors } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { useNodeChoice } from "./node-choice.tsx";

function TunnelForm({ taken, done }: { taken: string[]; done: () => void }) {
  const choice = useNodeChoice();
  const free = choice.usable.filter((n) => !taken.includes(n.id));
  const node = free.some((n) => n.id === choice.node) ? choice.node : (free[0]?.id ?? "");
  const [cloudflareAccount, setAccount] = useState("");
  const [tunnelId, setTunnelId] = useState("");
  const [zone, setZone] = useState("");
  const [token, setToken] = useState("");
  const add = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/tunnels", {
          body: { node, cloudflareAccount, tunnelId, zone, token },
        }),
      ),
    { invalidate: [["tunnels"]], onSuccess: done },
  );
  return (
    <ApiForm
      mutation={add}
      shown={["node", "cloudflareAccount", "tunnelId", "zone", "token"]}
      submitLabel="Add tunnel"
      onCancel={done}
    >
      <Field
        label="Node"
        hint="Where cloudflared runs the tunnel from its config.yml (one tunnel per node)."
        error={fieldErrors(add.error, "node")}
      >
        <Select value={node} onChange={(e) => choice.setNode(e.target.value)}>
          {free.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
            </option>
          ))}
        </Select>
      </Field>
      <TextField
        label="Cloudflare account id"
        hint="32 hexadecimal digits: the dashboard's URL, or the account's overview page."
        field="cloudflareAccount"
        value={cloudflareAccount}
        onValue={setAccount}
        code
        maxLength={64}
      />
      <TextField
        label="Tunnel id"
        hint="The UUID of `cloudflared tunnel list` (the `tunnel:` of config.yml)."
        field="tunnelId"
        value={tunnelId}
        onValue={setTunnelId}
        code
        maxLength={64}
      />
      <TextField
        label="Zone"
        hint="The Cloudflare zone its hostnames are forwarded in."
        field="zone"
        value={zone}
        onValue={setZone}
        code
      />
      <TextField
        label="API token"
        hint="With Zone → DNS → Edit on the zone and Account → Cloudflare Tunnel → Read. Sealed by the panel, never shown again."
        field="token"
        type="password"
        value={token}
        onValue={setToken}
        code
        maxLength={200}
      />
    </ApiForm>
  );
}

export function AddTunnelDialog({
  open,
  onOpenChange,
  taken,
}: DialogProps & { /** the nodes that have a tunnel already */ taken: string[] }) {
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Add a tunnel"
      description="A tunnel made with cloudflared on the node (locally managed: its config.yml). Cloudflare is asked for the tunnel and the zone before anything is kept."
    >
      {(done) => <TunnelForm taken={taken} done={done} />}
    </FormDialog>
  );
}

/** What the dialogs need of a tunnel. */
export type TunnelRef = { id: string; zone: string };

export function ForwardDialog({
  tunnel,
  open,
  onClose,
}: {
  tunnel: TunnelRef;
  open: boolean;
  onClose: () => void;
}) {
  const [hostname, setHostname] = useState("");
  const [port, setPort] = useState("");
  // digits go as a number; anything else as typed, for the API to say what is wrong with it
  const portValue = (/^\d+$/.test(port) ? Number(port) : port) as number;
  const add = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/tunnels/{id}/routes", {
          params: { path: { id: tunnel.id } },
          body: { hostname, port: portValue },
        }),
      ),
    {
      invalidate: [
        ["tunnel-routes", tunnel.id],
        ["tunnel-config", tunnel.id],
      ],
      onSuccess: onClose,
    },
  );
  return (
    <Dialog
      open={open}
      onOpenChange={resetOnClose(add, (o) => !o && onClose())}
      title={`Forward a hostname of ${tunnel.zone}`}
      description="The node's cloudflared gets an ingress rule to http://localhost:PORT (the catch-all kept last), then Cloudflare a proxied CNAME to the tunnel."
    >
      <ApiForm mutation={add} shown={["hostname", "port"]} submitLabel="Forward" onCancel={onClose}>
        <TextField
          label="Hostname"
          hint={`A name in ${tunnel.zone} without a record at Cloudflare yet, e.g. app.${tunnel.zone}.`}
          field="hostname"
          value={hostname}
          onValue={setHostname}
          code
        />
        <TextField
          label="Local port"
          hint="Where a process listens on the node (a container's published port, or any service): http://localhost:PORT."
          field="port"
          value={port}
          onValue={setPort}
          inputMode="numeric"
        />
      </ApiForm>
    </Dialog>
  );
}
