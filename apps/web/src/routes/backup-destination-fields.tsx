// The fields of each kind of backup destination. Secret fields are write-only: typed here,
// sealed by the panel, never shown again.
import { TextField } from "../components/text-field.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Select, Textarea } from "../components/ui/input.tsx";
import { fieldError } from "../lib/errors.ts";
import type { Typed } from "./backup-destination-settings.ts";
import type { DestinationKind } from "./backup-parts.tsx";
import { NodeField } from "./site-form-parts.tsx";

export function KindFields({
  kind,
  typed: t,
  set,
  error,
}: {
  kind: DestinationKind;
  typed: Typed;
  set: (patch: Partial<Typed>) => void;
  error: unknown;
}) {
  const secretHint = "Write-only: sealed by the panel, never shown again.";
  if (kind === "local")
    return (
      <>
        <NodeField
          value={t.nodeId}
          onChange={(nodeId) => set({ nodeId })}
          error={fieldError(error, "settings.nodeId")}
          hint="The node whose directory holds the artifacts; its agent writes there."
        />
        <TextField
          label="Directory"
          field="settings.path"
          value={t.path}
          onValue={(path) => set({ path })}
          placeholder="/var/backups/steward"
          code
        />
      </>
    );
  if (kind === "s3")
    return (
      <>
        <div className="grid items-start gap-4 sm:grid-cols-[1fr_10rem]">
          <TextField
            label="Endpoint"
            field="settings.endpoint"
            value={t.endpoint}
            onValue={(endpoint) => set({ endpoint })}
            placeholder="https://s3.example.com"
            code
          />
          <TextField
            label="Region"
            field="settings.region"
            value={t.region}
            onValue={(region) => set({ region })}
            placeholder="us-east-1"
            code
          />
        </div>
        <div className="grid items-start gap-4 sm:grid-cols-2">
          <TextField
            label="Bucket"
            field="settings.bucket"
            value={t.bucket}
            onValue={(bucket) => set({ bucket })}
            code
          />
          <TextField
            label="Prefix (optional)"
            field="settings.prefix"
            value={t.path}
            onValue={(path) => set({ path })}
            placeholder="steward/"
            code
          />
        </div>
        <div className="grid items-start gap-4 sm:grid-cols-2">
          <TextField
            label="Access key id"
            field="settings.accessKeyId"
            value={t.accessKeyId}
            onValue={(accessKeyId) => set({ accessKeyId })}
            code
          />
          <TextField
            label="Secret access key"
            field="settings.secretAccessKey"
            type="password"
            autoComplete="new-password"
            hint={secretHint}
            value={t.secretAccessKey}
            onValue={(secretAccessKey) => set({ secretAccessKey })}
          />
        </div>
        <Checkbox
          label="Path-style addresses"
          hint="https://host/bucket rather than https://bucket.host (most S3-compatible servers)."
          checked={t.pathStyle}
          onChange={(pathStyle) => set({ pathStyle })}
        />
      </>
    );
  return (
    <>
      <div className="grid items-start gap-4 sm:grid-cols-[1fr_8rem]">
        <TextField
          label="Host"
          field="settings.host"
          value={t.host}
          onValue={(host) => set({ host })}
          placeholder="backup.example.com"
          code
        />
        <TextField
          label="Port"
          field="settings.port"
          inputMode="numeric"
          value={t.port}
          onValue={(port) => set({ port })}
          placeholder={kind === "sftp" ? "22" : t.tls === "implicit" ? "990" : "21"}
          code
        />
      </div>
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <TextField
          label="User name"
          field="settings.username"
          value={t.username}
          onValue={(username) => set({ username })}
          code
        />
        <TextField
          label={kind === "sftp" ? "Password (or a key below)" : "Password"}
          field="settings.password"
          type="password"
          autoComplete="new-password"
          hint={secretHint}
          value={t.password}
          onValue={(password) => set({ password })}
        />
      </div>
      {kind === "sftp" ? (
        <>
          <Field
            label="Private key (optional)"
            hint={`OpenSSH format, without a passphrase. ${secretHint}`}
            error={fieldError(error, "settings.privateKey")}
          >
            <Textarea
              className="font-mono text-xs"
              rows={3}
              value={t.privateKey}
              onChange={(e) => set({ privateKey: e.target.value })}
              spellCheck={false}
              autoComplete="off"
            />
          </Field>
          <TextField
            label="Host key fingerprint"
            field="settings.hostKey"
            hint="The server's key, pinned: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server."
            value={t.hostKey}
            onValue={(hostKey) => set({ hostKey })}
            placeholder="SHA256:…"
            code
          />
        </>
      ) : (
        <>
          <Field label="TLS" error={fieldError(error, "settings.tls")}>
            <Select value={t.tls} onChange={(e) => set({ tls: e.target.value as Typed["tls"] })}>
              <option value="explicit">FTPS, explicit (AUTH TLS)</option>
              <option value="implicit">FTPS, implicit (TLS from the start)</option>
              <option value="none">Plain FTP (no encryption)</option>
            </Select>
          </Field>
          {t.tls !== "none" ? (
            <Field
              label="CA certificate (optional)"
              hint="PEM; the CA the server's certificate chains to, besides the system's."
              error={fieldError(error, "settings.ca")}
            >
              <Textarea
                className="font-mono text-xs"
                rows={3}
                value={t.ca}
                onChange={(e) => set({ ca: e.target.value })}
                spellCheck={false}
              />
            </Field>
          ) : null}
        </>
      )}
      <TextField
        label="Directory (optional)"
        field="settings.path"
        hint="Relative to the login directory; a leading / makes it absolute on the server."
        value={t.path}
        onValue={(path) => set({ path })}
        code
      />
    </>
  );
}
