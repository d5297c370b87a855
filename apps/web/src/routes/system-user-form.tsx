// "New system user": the account's main user on a node (the owner of its files; its CGI user
// `<name>-cgi` comes with it) or a secondary user with a home inside the account's home; the
// shell access (none, SFTP in a chroot, restricted shell), FTP, SSH public keys (one a line)
// a password (hashed by the panel, never shown again) and a disk quota (enforced where the
// node's filesystem has user quotas). The API checks every value and names the field it refuses.
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Input, Select, Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import { NodeField, useNodeChoice } from "./node-choice.tsx";

export const SHELLS = {
  sftp: "SFTP only, chrooted in the account",
  none: "No SSH login",
  restricted: "Restricted shell (rbash, not chrooted)",
} as const;
export type Shell = keyof typeof SHELLS;

/** The non-empty lines of a textarea: one key a line. */
export const keyLines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * The quota field's text as the API takes it: empty is 0 (no limit), a number as it is (the
 * API refuses what is not whole), anything else as text, which the API refuses naming quotaMb.
 */
export function quotaValue(text: string): number | string {
  const t = text.trim();
  const n = Number(t);
  return t === "" ? 0 : Number.isFinite(n) ? n : t;
}

export function QuotaField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <Field
      label="Disk quota (MiB)"
      hint="empty or 0: no limit; enforced where the node's filesystem has user quotas, measured only elsewhere"
    >
      <Input
        type="number"
        min={0}
        step={1}
        inputMode="numeric"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

const create = async (body: Record<string, unknown>) =>
  unwrap(await api.POST("/api/v1/system-users", { body: body as never }));

export function SystemUserForm({
  account,
  mainNodes,
  done,
}: {
  account: string;
  /** the nodes where the account has a main user already (a secondary one goes there) */
  mainNodes: string[];
  done: () => void;
}) {
  const choice = useNodeChoice();
  const chosen = choice.node;
  const secondary = mainNodes.includes(chosen);
  const [name, setName] = useState("");
  const [home, setHome] = useState("");
  const [shell, setShell] = useState<Shell>("sftp");
  const [ftp, setFtp] = useState(false);
  const [keys, setKeys] = useState("");
  const [password, setPassword] = useState("");
  const [quota, setQuota] = useState("");
  const save = useApiMutation(create, {
    invalidate: [["system-users"]],
    onSuccess: (u) => {
      toast(`${u.name} is being created on the node`);
      done();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      kind: secondary ? "secondary" : "main",
      account,
      node: chosen,
      name: name.trim(),
      ...(secondary ? { home: home.trim() } : {}),
      shell,
      ftp,
      keys: keyLines(keys),
      ...(password ? { password } : {}),
      ...(quota.trim() ? { quotaMb: quotaValue(quota) } : {}),
    });
  };
  return (
    <form onSubmit={submit} className="grid gap-4">
      <NodeField choice={choice} />
      <p className="text-sm text-fg-muted">
        {secondary
          ? "The account has its main user on this node: this one is a secondary user, with its own home inside the account's."
          : "The account's first user on this node is its main user: it owns the files; its CGI user runs PHP and can only read them."}
      </p>
      <Field label="Login" hint="lowercase letters, digits, - and _, starting with a letter">
        <Input value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
      </Field>
      {secondary ? (
        <Field label="Home" hint="a directory inside the account's home, like team/alice">
          <Input value={home} onChange={(e) => setHome(e.target.value)} required />
        </Field>
      ) : null}
      <Field label="Shell access">
        <Select value={shell} onChange={(e) => setShell(e.target.value as Shell)}>
          {Object.entries(SHELLS).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="SSH public keys" hint="one a line: ssh-ed25519 AAAA… comment">
        <Textarea value={keys} onChange={(e) => setKeys(e.target.value)} rows={3} />
      </Field>
      <Field label="Password" hint="at least 10 characters; hashed, never shown again">
        <Input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
        />
      </Field>
      <Checkbox
        label="FTP"
        checked={ftp}
        onChange={setFtp}
        hint="FTP/FTPS logins, chrooted like SFTP (needs a password)"
      />
      <QuotaField value={quota} onChange={setQuota} />
      {save.error ? <ErrorAlert error={save.error} /> : null}
      <FormActions busy={save.isPending} submitLabel="Create" onCancel={done} />
    </form>
  );
}
