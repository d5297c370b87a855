// "New compose stack" and "New one-click app": a compose file in an editor whose issues show
// under it as it is typed (the contracts' own check, the one the panel and the node run; the
// node's allowances are the panel's to apply: what it refuses on create shows the same way,
// each issue naming its key), or an entry of the catalog with its variables (the generated
// ones left empty get a random value, sealed). Variables are KEY=value lines; secret ones are
// sealed and never shown again.
import { checkCompose, tcpPublishers } from "@steward/contracts/apps";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Select, Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { ApiError, fieldError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { envOf } from "./app-form.tsx";
import { NodeField, useNodeChoice } from "./node-choice.tsx";

const EXAMPLE = `services:
  web:
    image: localhost/steward-httpd:latest
    ports: ["8080"]
    volumes: ["data:/data"]
volumes:
  data: {}
`;

type Body = {
  account: string;
  node: string;
  name?: string;
  compose?: string;
  catalog?: string;
  env: { key: string; value: string; secret: boolean }[];
  domain?: string;
  ingressService?: string;
};
const create = async (body: Body) =>
  unwrap(await api.POST("/api/v1/apps/compose", { body: body as never }));

function useCreate() {
  const navigate = useNavigate();
  return useApiMutation((body: Body) => create(body), {
    invalidate: [["apps"]],
    onSuccess: (app) => navigate({ to: "/apps/$id", params: { id: app.id } }),
  });
}

/** The issues of the file (as typed) and of the panel's refusal, one per line, naming the key. */
export function ComposeIssues({ issues }: { issues: { path: string; message: string }[] }) {
  if (!issues.length) return null;
  return (
    <ul id="compose-issues" className="grid gap-1 text-sm text-danger" aria-live="polite">
      {issues.map((i) => (
        <li key={`${i.path}:${i.message}`}>
          <span className="font-mono">{i.path}</span>: {i.message}
        </li>
      ))}
    </ul>
  );
}

export const refusedIssues = (error: unknown) =>
  error instanceof ApiError
    ? Object.entries(error.allFields)
        .filter(([field]) => field.startsWith("compose"))
        .flatMap(([field, messages]) =>
          messages.map((message) => ({
            path: field.replace(/^compose\.?/, "") || "compose",
            message,
          })),
        )
    : [];

export function ComposeForm({ account, onDone }: { account: string; onDone: () => void }) {
  const choice = useNodeChoice();
  const [name, setName] = useState("");
  const [file, setFile] = useState(EXAMPLE);
  const [env, setEnv] = useState("");
  const [secrets, setSecrets] = useState("");
  const [domain, setDomain] = useState("");
  const [service, setService] = useState("");
  const save = useCreate();
  const vars = [...envOf(env, false), ...envOf(secrets, true)];
  const envMap = Object.fromEntries(vars.map((v) => [v.key, v.value]));
  const checked = checkCompose(file, { env: envMap });
  const typed = checked.ok
    ? {
        issues: [],
        services: checked.stack.services.map((s) => s.name),
        publishers: tcpPublishers(checked.stack),
      }
    : { issues: checked.issues, services: [], publishers: [] };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      account,
      node: choice.node,
      ...(name.trim() ? { name: name.trim() } : {}),
      compose: file,
      env: vars,
      ...(domain.trim() ? { domain: domain.trim() } : {}),
      ...(domain.trim() && service ? { ingressService: service } : {}),
    });
  };
  const issues = [...typed.issues, ...(save.isPending ? [] : refusedIssues(save.error))];
  return (
    <Card title="New compose stack">
      <form onSubmit={submit} className="grid gap-4 md:grid-cols-2">
        <NodeField choice={choice} />
        <Field label="Name" hint="the compose project; suffixed -2, -3… when the node has it">
          <Input value={name} onChange={(e) => setName(e.target.value)} placeholder="stack" />
        </Field>
        <div className="grid gap-1.5 md:col-span-2">
          <label htmlFor="compose-file" className="text-sm font-medium">
            Compose file
          </label>
          <Textarea
            id="compose-file"
            value={file}
            onChange={(e) => setFile(e.target.value)}
            rows={14}
            spellCheck={false}
            className="font-mono text-xs"
            aria-invalid={issues.length ? true : undefined}
            aria-describedby={issues.length ? "compose-issues" : "compose-hint"}
          />
          <p id="compose-hint" className="text-xs text-fg-muted">
            {typed.services.length
              ? `Services: ${typed.services.join(", ")}. Paths stay inside the app's directory; privileged mode, the host's namespaces, devices and added capabilities need a super user's leave on the node.`
              : `\${VAR} reads the variables below.`}
          </p>
          <ComposeIssues issues={issues} />
        </div>
        <Field label="Variables" hint={`KEY=value, one per line: what \${VAR} reads`}>
          <Textarea value={env} onChange={(e) => setEnv(e.target.value)} rows={3} />
        </Field>
        <Field label="Secret variables" hint="sealed; never shown again">
          <Textarea value={secrets} onChange={(e) => setSecrets(e.target.value)} rows={3} />
        </Field>
        <Field
          label="Domain"
          hint="served by a proxy site to a service's published TCP port, TLS as for any site"
          error={fieldError(save.error, "domain")}
        >
          <Input
            value={domain}
            onChange={(e) => setDomain(e.target.value)}
            placeholder="shop.example.com"
          />
        </Field>
        <Field
          label="Service behind the domain"
          hint={
            typed.publishers.length
              ? "the services publishing a TCP port"
              : 'no service of the file publishes a TCP port (ports: ["8080:80"])'
          }
          error={fieldError(save.error, "ingressService")}
        >
          <Select
            value={service}
            onChange={(e) => setService(e.target.value)}
            disabled={!domain.trim()}
          >
            <option value="">{typed.publishers[0] ?? "none"} (the first)</option>
            {typed.publishers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </Select>
        </Field>
        {save.error &&
        !refusedIssues(save.error).length &&
        !fieldError(save.error, "domain") &&
        !fieldError(save.error, "ingressService") ? (
          <ErrorAlert error={save.error} className="md:col-span-2" />
        ) : null}
        <div className="md:col-span-2">
          <FormActions busy={save.isPending} submitLabel="Deploy" onCancel={onDone} />
        </div>
      </form>
    </Card>
  );
}

export function CatalogForm({ account, onDone }: { account: string; onDone: () => void }) {
  const catalog = useQuery({
    queryKey: ["app-catalog"],
    queryFn: async () => unwrap(await api.GET("/api/v1/app-catalog")).items,
  });
  const [chosen, setChosen] = useState("");
  const choice = useNodeChoice();
  const [name, setName] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const save = useCreate();
  const entry = (catalog.data ?? []).find((e) => e.id === chosen) ?? catalog.data?.[0];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!entry) return;
    save.mutate({
      account,
      node: choice.node,
      catalog: entry.id,
      ...(name.trim() ? { name: name.trim() } : {}),
      env: entry.env
        .filter((v) => (values[v.key] ?? "").trim())
        .map((v) => ({ key: v.key, value: (values[v.key] ?? "").trim(), secret: v.secret })),
    });
  };
  return (
    <Card title="New one-click app">
      <form onSubmit={submit} className="grid gap-4 md:grid-cols-2">
        <fieldset className="grid gap-2 md:col-span-2">
          <legend className="mb-1 text-sm font-medium">App</legend>
          {(catalog.data ?? []).map((e) => (
            <label
              key={e.id}
              className="flex items-start gap-2 rounded border border-border p-2 text-sm"
            >
              <input
                type="radio"
                name="catalog"
                value={e.id}
                checked={entry?.id === e.id}
                onChange={() => setChosen(e.id)}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{e.name}</span>{" "}
                <span className="text-fg-muted">({e.services.map((s) => s.name).join(", ")})</span>
                <br />
                <span className="text-fg-muted">{e.description}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <NodeField choice={choice} />
        <Field label="Name" hint="default: the app's id, suffixed -2, -3… when the node has it">
          <Input value={name} onChange={(e) => setName(e.target.value)} placeholder={entry?.id} />
        </Field>
        {(entry?.env ?? []).map((v) => (
          <Field
            key={`${entry?.id}-${v.key}`}
            label={v.key}
            hint={`${v.description}${v.generated ? "; empty: a random value, sealed" : v.default ? `; empty: ${v.default}` : ""}`}
          >
            <Input
              type={v.secret ? "password" : "text"}
              value={values[v.key] ?? ""}
              onChange={(e) => setValues({ ...values, [v.key]: e.target.value })}
              autoComplete="off"
            />
          </Field>
        ))}
        {save.error ? <ErrorAlert error={save.error} className="md:col-span-2" /> : null}
        <div className="md:col-span-2">
          <FormActions busy={save.isPending} submitLabel="Deploy" onCancel={onDone} />
        </div>
      </form>
    </Card>
  );
}
