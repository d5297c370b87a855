// An external database server's connection fields, shared by the create and edit forms: host
// and port, admin user and password, TLS mode in words and, when the certificate is checked, a
// CA in PEM. Inside an ApiForm each field shows the API's error for its name.
import { useFieldError } from "../components/api-form.tsx";
import { TextField } from "../components/text-field.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select, Textarea } from "../components/ui/input.tsx";

export type Tls = "disable" | "require" | "verify-full";

export const TLS_WORDS: Record<Tls, string> = {
  disable: "No TLS",
  require: "TLS, any certificate",
  "verify-full": "TLS, certificate and host name checked",
};

export type Connection = {
  host: string;
  port: string;
  adminUser: string;
  adminPassword: string;
  tls: Tls;
  ca: string;
};

/** The form's starting values: an empty connection, or a server's (its secrets never come back). */
export function connectionOf(server?: {
  host?: string | null;
  port?: number | null;
  adminUser?: string | null;
  tls: { mode: Tls };
}): Connection {
  return {
    host: server?.host ?? "",
    port: server?.port ? String(server.port) : "",
    adminUser: server?.adminUser ?? "",
    adminPassword: "",
    tls: server?.tls.mode ?? "verify-full",
    ca: "",
  };
}

/** What the create and edit forms say differently about the same fields. */
export type ConnectionWords = {
  portPlaceholder?: string;
  passwordLabel: string;
  passwordHint?: string;
  caLabel: string;
  caHint: string;
};

export function ConnectionFields({
  value,
  onChange,
  words,
}: {
  value: Connection;
  onChange: (next: Connection) => void;
  words: ConnectionWords;
}) {
  const set =
    <K extends keyof Connection>(key: K) =>
    (v: Connection[K]) =>
      onChange({ ...value, [key]: v });
  const tlsError = useFieldError("tls.mode");
  const caError = useFieldError("tls.ca");
  return (
    <>
      <div className="grid items-start gap-4 sm:grid-cols-[1fr_8rem]">
        <TextField
          label="Host"
          field="host"
          value={value.host}
          onValue={set("host")}
          placeholder="db.example.com"
          maxLength={253}
          code
        />
        <TextField
          label="Port"
          field="port"
          inputMode="numeric"
          value={value.port}
          onValue={set("port")}
          placeholder={words.portPlaceholder}
          code
        />
      </div>
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <TextField
          label="Admin user"
          field="adminUser"
          value={value.adminUser}
          onValue={set("adminUser")}
          maxLength={80}
          code
        />
        <TextField
          label={words.passwordLabel}
          field="adminPassword"
          type="password"
          autoComplete="new-password"
          hint={words.passwordHint}
          value={value.adminPassword}
          onValue={set("adminPassword")}
        />
      </div>
      <Field label="TLS" error={tlsError}>
        <Select value={value.tls} onChange={(e) => set("tls")(e.target.value as Tls)}>
          {(Object.keys(TLS_WORDS) as Tls[]).map((mode) => (
            <option key={mode} value={mode}>
              {TLS_WORDS[mode]}
            </option>
          ))}
        </Select>
      </Field>
      {value.tls === "verify-full" ? (
        <Field label={words.caLabel} hint={words.caHint} error={caError}>
          <Textarea
            className="font-mono text-xs"
            rows={3}
            value={value.ca}
            onChange={(e) => set("ca")(e.target.value)}
            spellCheck={false}
          />
        </Field>
      ) : null}
    </>
  );
}
