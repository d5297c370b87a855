// "New from git": a repository (https with a token, or ssh: a deploy key is made for the app),
// the branch, tag or commit, what is built (a Dockerfile, or a compose file of the repository:
// the app is that stack, its `build:` services built), the node, ports (a Dockerfile's), a
// domain served through a proxy site, environment and a health check (a Dockerfile's). Once created, what is shown only now: the
// webhook's address and secret (for the repository's host: push events, application/json)
// and, for an ssh remote, the deploy key to add to the repository.
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Select, Textarea } from "../components/ui/input.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { envOf, lines, portOf } from "./app-form.tsx";
import { NodeField, useNodeChoice } from "./node-choice.tsx";

type Created = Schema<"/api/v1/apps/git", "post">;
type Body = Parameters<typeof create>[0];

const create = async (body: {
  account: string;
  node: string;
  name?: string;
  domain?: string;
  git: { url: string; ref: string; dockerfile?: string; compose?: string; token?: string };
  ingressService?: string;
  env: { key: string; value: string; secret: boolean }[];
  ports?: { container: number; host?: number; protocol: "tcp" | "udp" }[];
  healthCheck?: { command: string[] };
}) => unwrap(await api.POST("/api/v1/apps/git", { body: body as never }));

export function AppGitForm({ account, onDone }: { account: string; onDone: () => void }) {
  const choice = useNodeChoice();
  const [url, setUrl] = useState("");
  const [ref, setRef] = useState("main");
  const [kind, setKind] = useState<"dockerfile" | "compose">("dockerfile");
  const [path, setPath] = useState("Dockerfile");
  const [ingress, setIngress] = useState("");
  const [token, setToken] = useState("");
  const [name, setName] = useState("");
  const [domain, setDomain] = useState("");
  const [ports, setPorts] = useState("");
  const [env, setEnv] = useState("");
  const [health, setHealth] = useState("");
  const [created, setCreated] = useState<Created | null>(null);
  const save = useApiMutation((body: Body) => create(body), {
    invalidate: [["apps"]],
    onSuccess: (app) => setCreated(app),
  });
  if (created) return <CreatedOnce app={created} onDone={onDone} />;
  const ssh = !url.startsWith("https://");
  const compose = kind === "compose";
  const choose = (next: "dockerfile" | "compose") => {
    setKind(next);
    setPath(next === "compose" ? "docker-compose.yml" : "Dockerfile");
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      account,
      node: choice.node,
      git: {
        url: url.trim(),
        ref: ref.trim(),
        ...(compose ? { compose: path.trim() } : { dockerfile: path.trim() }),
        ...(token && !ssh ? { token } : {}),
      },
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(domain.trim() ? { domain: domain.trim() } : {}),
      env: envOf(env, false),
      ...(compose
        ? ingress.trim() && domain.trim()
          ? { ingressService: ingress.trim() }
          : {}
        : { ports: lines(ports.replaceAll(",", "\n")).map(portOf) }),
      ...(!compose && health.trim()
        ? { healthCheck: { command: health.trim().split(/\s+/) } }
        : {}),
    });
  };
  return (
    <Card title="New app from a git repository">
      <form onSubmit={submit} className="grid gap-4 md:grid-cols-2">
        <Field
          label="Repository"
          hint="https://host/owner/repo.git, or git@host:owner/repo.git (a deploy key is made)"
        >
          <Input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            placeholder="https://github.com/acme/shop.git"
          />
        </Field>
        <Field label="Branch, tag or commit">
          <Input value={ref} onChange={(e) => setRef(e.target.value)} required />
        </Field>
        <Field label="Access token" hint="https only; sealed, never shown again">
          <Input
            type="password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            disabled={ssh && url !== ""}
            autoComplete="off"
          />
        </Field>
        <Field
          label="Build with"
          hint={
            compose
              ? "a compose file: the app is its stack, services with build: built from the repository"
              : "the repository's Dockerfile: one container"
          }
        >
          <Select
            value={kind}
            onChange={(e) => choose(e.target.value === "compose" ? "compose" : "dockerfile")}
          >
            <option value="dockerfile">Dockerfile</option>
            <option value="compose">Compose file</option>
          </Select>
        </Field>
        <Field label={compose ? "Compose file" : "Dockerfile"} hint="its path in the repository">
          <Input value={path} onChange={(e) => setPath(e.target.value)} required />
        </Field>
        <NodeField choice={choice} />
        <Field label="Name" hint="default: the repository's">
          <Input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        {compose ? null : (
          <Field label="Ports" hint="container port(s), one per line: a free host port is chosen">
            <Textarea
              value={ports}
              onChange={(e) => setPorts(e.target.value)}
              rows={2}
              placeholder="8080"
            />
          </Field>
        )}
        <Field
          label="Domain"
          hint={
            compose
              ? "served by a proxy site to a service's published port, TLS as for any site"
              : "served by a proxy site to the first port, TLS as for any site"
          }
        >
          <Input
            value={domain}
            onChange={(e) => setDomain(e.target.value)}
            placeholder="shop.example.com"
          />
        </Field>
        {compose ? (
          <Field label="Site's service" hint="with a domain; default: the first publishing a port">
            <Input value={ingress} onChange={(e) => setIngress(e.target.value)} placeholder="web" />
          </Field>
        ) : null}
        <Field label="Environment" hint="KEY=value, one per line">
          <Textarea value={env} onChange={(e) => setEnv(e.target.value)} rows={2} />
        </Field>
        {compose ? null : (
          <Field label="Health check" hint="a command run in the container (no shell)">
            <Input
              value={health}
              onChange={(e) => setHealth(e.target.value)}
              placeholder="wget -q -O /dev/null http://127.0.0.1:8080/"
            />
          </Field>
        )}
        {save.error ? <ErrorAlert error={save.error} className="md:col-span-2" /> : null}
        <div className="md:col-span-2">
          <FormActions busy={save.isPending} submitLabel="Build and deploy" onCancel={onDone} />
        </div>
      </form>
    </Card>
  );
}

function CreatedOnce({ app, onDone }: { app: Created; onDone: () => void }) {
  return (
    <Card title={`${app.name} is being built`}>
      <div className="grid gap-3 text-sm">
        <p>
          Copy these now. Give the repository's host the webhook (content type application/json,
          push events) so that a push to <span className="font-mono">{app.git?.ref}</span> redeploys
          the app.
        </p>
        <dl className="grid gap-2">
          <dt className="font-medium">Webhook URL</dt>
          <dd className="font-mono text-xs break-all">{app.webhook.url}</dd>
          <dt className="font-medium">Webhook secret</dt>
          <dd className="font-mono text-xs break-all">{app.webhook.secret}</dd>
          {app.git?.publicKey ? (
            <>
              <dt className="font-medium">Deploy key (add it to the repository, read-only)</dt>
              <dd className="font-mono text-xs break-all">{app.git.publicKey}</dd>
            </>
          ) : null}
        </dl>
        <div className="flex gap-2">
          <Link
            to="/apps/$id"
            params={{ id: app.id }}
            className="font-medium text-primary hover:underline"
          >
            Open {app.name}
          </Link>
          <Button variant="secondary" onClick={onDone}>
            Close
          </Button>
        </div>
      </div>
    </Card>
  );
}
