// A new zone in a dialog: its name, the node that serves it, the account, and optionally the
// template's default records (name servers, web and mail addresses, SPF, DMARC, a DKIM slot).
// The API's errors show at their fields; the new zone's page opens once it is created.
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { ProviderFields } from "./dns-zone-provider.tsx";
import { AccountField, NodeField, parseNames, useOnlyNode } from "./site-form-parts.tsx";

type ZoneInput = paths["/api/v1/dns/zones"]["post"]["requestBody"]["content"]["application/json"];

export function ZoneDialog({
  open,
  onOpenChange,
  onCreated,
}: DialogProps & { onCreated: (id: string) => void }) {
  const save = useApiMutation(
    async (body: ZoneInput) => unwrap(await api.POST("/api/v1/dns/zones", { body })),
    {
      invalidate: [["dns-zones"]],
      onSuccess: (zone) => {
        onOpenChange(false);
        onCreated(zone.id);
      },
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title="New DNS zone"
      description="The zone is created at once; a task then makes its node (or its DNS provider) serve it."
    >
      {(done) => <ZoneForm mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function ZoneForm({
  mutation,
  onCancel,
}: {
  mutation: Parameters<typeof ApiForm<ZoneInput>>[0]["mutation"];
  onCancel: () => void;
}) {
  const onlyNode = useOnlyNode();
  const [name, setName] = useState("");
  const [where, setWhere] = useState<"node" | "provider">("node");
  const [node, setNode] = useState("");
  const [provider, setProvider] = useState("");
  const [importRecords, setImportRecords] = useState(true);
  const [fullSync, setFullSync] = useState(false);
  const [account, setAccount] = useState("");
  const [template, setTemplate] = useState(true);
  const [nameservers, setNameservers] = useState("");
  const [ipv4, setIpv4] = useState("");
  const [ipv6, setIpv6] = useState("");
  const [mail, setMail] = useState(true);
  const [dmarcReport, setDmarcReport] = useState("");
  const nodeId = node || onlyNode || "";
  const err = mutation.error;
  return (
    <ApiForm
      mutation={mutation}
      input={{
        name: name.trim(),
        ...(where === "node" ? { node: nodeId } : { provider, import: importRecords, fullSync }),
        account: account || undefined,
        template: template
          ? {
              nameservers: parseNames(nameservers),
              ipv4: ipv4.trim() || undefined,
              ipv6: ipv6.trim() || undefined,
              mail,
              dmarcReport: dmarcReport.trim() || undefined,
            }
          : undefined,
      }}
      shown={[
        "name",
        "node",
        "provider",
        "account",
        "template.nameservers",
        "template.ipv4",
        "template.ipv6",
        "template.dmarcReport",
      ]}
      submitLabel="Create zone"
      onCancel={onCancel}
    >
      <TextField
        label="Domain"
        field="name"
        value={name}
        onValue={setName}
        placeholder="example.com"
        maxLength={253}
        code
      />
      <AccountField
        value={account}
        onChange={setAccount}
        error={fieldError(err, "account")}
        hint="Who the zone belongs to. Left empty, it goes to the installation's default account."
      />
      <Field label="Served by">
        <Select value={where} onChange={(e) => setWhere(e.target.value as "node" | "provider")}>
          <option value="node">A node's BIND or PowerDNS</option>
          <option value="provider">A DNS provider (Cloudflare)</option>
        </Select>
      </Field>
      {where === "node" ? (
        <NodeField
          value={nodeId}
          onChange={setNode}
          error={fieldError(err, "node")}
          hint="The server whose BIND or PowerDNS serves the zone."
        />
      ) : (
        <ProviderFields
          account={account}
          provider={provider}
          onProvider={setProvider}
          importRecords={importRecords}
          onImport={setImportRecords}
          fullSync={fullSync}
          onFullSync={setFullSync}
          error={fieldError(err, "provider")}
        />
      )}
      <Checkbox
        label="Start with the template's records"
        hint="NS at the apex; A/AAAA at the apex and www; mail.<zone>, MX, SPF, DMARC and a DKIM slot."
        checked={template}
        onChange={setTemplate}
      />
      {template ? (
        <>
          <TextField
            label="Name servers"
            field="template.nameservers"
            hint="Separated by commas; at least one."
            value={nameservers}
            onValue={setNameservers}
            placeholder="ns1.example.net., ns2.example.net."
            code
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="IPv4 address (optional)"
              field="template.ipv4"
              value={ipv4}
              onValue={setIpv4}
              placeholder="192.0.2.1"
              code
            />
            <TextField
              label="IPv6 address (optional)"
              field="template.ipv6"
              value={ipv6}
              onValue={setIpv6}
              placeholder="2001:db8::1"
              code
            />
          </div>
          <Checkbox label="Mail records" checked={mail} onChange={setMail} />
          {mail ? (
            <TextField
              label="DMARC reports to (optional)"
              field="template.dmarcReport"
              type="email"
              value={dmarcReport}
              onValue={setDmarcReport}
              placeholder="postmaster@example.com"
            />
          ) : null}
        </>
      ) : null}
    </ApiForm>
  );
}
