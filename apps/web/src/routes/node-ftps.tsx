// The site whose certificate this node's FTPS (pure-ftpd) serves, installed again on every
// renewal of that certificate (docs/hosting.md#ftps-certificate). Every account's FTP users on
// the node see it, so only installation admins change it; "none" leaves pure-ftpd's file as is.
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";

const ftpsKey = (nodeId: string) => ["node", nodeId, "ftp-certificate"];

export function FtpsCard({ nodeId }: { nodeId: string }) {
  const me = useMe();
  const [editing, setEditing] = useState(false);
  const current = useQuery({
    queryKey: ftpsKey(nodeId),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/nodes/{id}/ftp-certificate", { params: { path: { id: nodeId } } }),
      ),
  });
  const c = current.data;
  return (
    <Card
      title="FTPS certificate"
      actions={
        me.can.createNode && !editing ? (
          <Button variant="secondary" onClick={() => setEditing(true)}>
            Change
          </Button>
        ) : undefined
      }
    >
      {editing && c ? (
        <FtpsForm nodeId={nodeId} site={c.site} onDone={() => setEditing(false)} />
      ) : (
        <div className="grid gap-2 text-sm">
          <p>
            {c?.site ? (
              <>
                pure-ftpd serves the certificate of the site <SiteName id={c.site} />
                {c.serial ? (
                  <>
                    {" "}
                    (serial <span className="font-mono">{c.serial}</span>)
                  </>
                ) : (
                  " (not installed yet)"
                )}
                , installed again on every renewal.
              </>
            ) : (
              "pure-ftpd serves the node's own certificate (none chosen here)."
            )}
          </p>
          {c?.lastError ? (
            <p className="text-red-700 dark:text-red-400 wrap-anywhere">{c.lastError}</p>
          ) : null}
        </div>
      )}
      <ErrorAlert error={current.error} />
    </Card>
  );
}

/** The site's first name, linked (its id until it is read, or when it cannot be). */
function SiteName({ id }: { id: string }) {
  const site = useQuery({
    queryKey: ["site", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/sites/{id}", { params: { path: { id } } })),
  });
  return (
    <RecordLink to="/sites/$id" id={id} className="break-all">
      {site.data?.domains[0] ?? id}
    </RecordLink>
  );
}

function FtpsForm(props: { nodeId: string; site: string | null; onDone: () => void }) {
  const [site, setSite] = useState(props.site ?? "");
  const sites = useQuery({
    queryKey: ["sites", { node: props.nodeId, limit: 100 }],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/sites", { params: { query: { node: props.nodeId, limit: 100 } } }),
      ),
  });
  const save = useApiMutation(
    async () =>
      unwrap(
        await api.PUT("/api/v1/nodes/{id}/ftp-certificate", {
          params: { path: { id: props.nodeId } },
          body: { site: site || null },
        }),
      ),
    { invalidate: [ftpsKey(props.nodeId)], onSuccess: props.onDone },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <Field
        label="Site"
        hint="A site on this node whose certificate FTPS serves; every account's FTP users see it."
        error={fieldError(save.error, "site")}
      >
        <Select value={site} onChange={(e) => setSite(e.target.value)}>
          <option value="">None: the node's own</option>
          {(sites.data?.items ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.domains[0] ?? s.id}
            </option>
          ))}
        </Select>
      </Field>
      <ErrorAlert error={unshownError(save.error, ["site"]) ?? sites.error} />
      <FormActions submitLabel="Save" busy={save.isPending} onCancel={props.onDone} />
    </form>
  );
}
