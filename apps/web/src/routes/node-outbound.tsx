// What a node's sites may proxy to (the outbound policy's part a super user sets per node):
// private ranges, and more CIDR ranges. Everyone who sees the node sees it; super users edit.
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { ListField } from "../components/list-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { ApiError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import type { NodeInfo } from "./hosting-parts.tsx";
import { listError, parseNames } from "./site-form-parts.tsx";

export function OutboundCard({ node }: { node: NodeInfo }) {
  const me = useMe();
  const [editing, setEditing] = useState(false);
  const { allowPrivate, allow } = node.outbound;
  return (
    <Card
      title="Proxy upstreams"
      actions={
        me.super && !editing ? (
          <Button variant="secondary" onClick={() => setEditing(true)}>
            Change
          </Button>
        ) : undefined
      }
    >
      {editing ? (
        <OutboundForm node={node} onDone={() => setEditing(false)} />
      ) : (
        <div className="grid gap-2 text-sm">
          <p>
            Sites on this node may proxy to public addresses
            {allowPrivate ? " and private ranges" : ""}
            {allow.length ? " and these ranges:" : "."} Loopback, link-local and reserved addresses,
            the panel and the agent are refused unless listed here.
          </p>
          {allowPrivate ? (
            <p>
              <Badge tone="info">private ranges allowed</Badge>
            </p>
          ) : null}
          {allow.length ? (
            <ul className="font-mono text-xs break-all">
              {allow.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
    </Card>
  );
}

function OutboundForm({ node, onDone }: { node: NodeInfo; onDone: () => void }) {
  const [allowPrivate, setPrivate] = useState(node.outbound.allowPrivate);
  const [text, setText] = useState(node.outbound.allow.join("\n"));
  const allow = parseNames(text);
  const save = useApiMutation(
    async () =>
      unwrap(
        await api.PATCH("/api/v1/nodes/{id}", {
          params: { path: { id: node.id } },
          body: { outbound: { allowPrivate, allow } },
        }),
      ),
    { invalidate: [["nodes"], ["node", node.id]], onSuccess: onDone },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  const shown = save.error instanceof ApiError ? Object.keys(save.error.fields) : [];
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <Checkbox
        label="Allow private ranges"
        hint="10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 and fc00::/7: every tenant on this node can then reach this network."
        checked={allowPrivate}
        onChange={setPrivate}
      />
      <ListField
        label="More allowed ranges"
        hint="CIDR ranges or addresses, one per line (like 127.0.0.1 or 10.20.0.0/16). The installation's deny list still wins; the panel's and the agent's own ports are always refused."
        error={listError(save.error, "outbound.allow", allow)}
        value={text}
        onValue={setText}
        className="min-h-16"
      />
      <ErrorAlert error={unshownError(save.error, shown)} />
      <FormActions submitLabel="Save" busy={save.isPending} onCancel={onDone} />
    </form>
  );
}
