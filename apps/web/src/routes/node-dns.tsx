// Where other nodes reach this node's DNS server (`IPv4:port`): a zone's secondaries transfer
// from it and it notifies them, so both nodes of a secondary need one. Node admins change it;
// emptying it unsets it.
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { TextField } from "../components/text-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import type { NodeInfo } from "./hosting-parts.tsx";

export function DnsAddressCard({ node }: { node: NodeInfo }) {
  const me = useMe();
  const [editing, setEditing] = useState(false);
  return (
    <Card
      title="DNS address"
      actions={
        me.can.createNode && !editing ? (
          <Button variant="secondary" onClick={() => setEditing(true)}>
            Change
          </Button>
        ) : undefined
      }
    >
      {editing ? (
        <DnsAddressForm node={node} onDone={() => setEditing(false)} />
      ) : (
        <p className="text-sm">
          {node.dnsAddress ? (
            <>
              Other nodes reach its DNS server at{" "}
              <span className="font-mono">{node.dnsAddress}</span> (zone transfers and notifies).
            </>
          ) : (
            "Not set: this node can be neither the primary nor a secondary of a zone served by several nodes."
          )}
        </p>
      )}
    </Card>
  );
}

function DnsAddressForm({ node, onDone }: { node: NodeInfo; onDone: () => void }) {
  const [address, setAddress] = useState(node.dnsAddress ?? "");
  const save = useApiMutation(
    async () =>
      unwrap(
        await api.PATCH("/api/v1/nodes/{id}", {
          params: { path: { id: node.id } },
          body: { dnsAddress: address.trim() || null },
        }),
      ),
    { invalidate: [["nodes"], ["node", node.id]], onSuccess: onDone },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <TextField
        label="Address and port"
        hint="IPv4:port where other nodes reach this node's BIND or PowerDNS, like 192.0.2.1:53. Empty unsets it."
        error={fieldError(save.error, "dnsAddress")}
        value={address}
        onValue={setAddress}
        placeholder="192.0.2.1:53"
        maxLength={21}
        code
      />
      <ErrorAlert error={unshownError(save.error, ["dnsAddress"])} />
      <FormActions submitLabel="Save" busy={save.isPending} onCancel={onDone} />
    </form>
  );
}
