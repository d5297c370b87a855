// "New quick service": an image, the node, and optionally a name (derived from the image
// otherwise), environment (secret variables sealed, never shown again), ports (a free host
// port is chosen when none is given), volumes in the app's own directory and a health check
// (an argv, split on spaces: no shell ever reads it). The API checks every value and names
// the field it refuses.
import { useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { NodeField, useNodeChoice } from "./node-choice.tsx";

type Body = Parameters<typeof create>[0];

export const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

export function envOf(text: string, secret: boolean) {
  return lines(text).map((l) => {
    const at = l.indexOf("=");
    return at < 0
      ? { key: l, value: "", secret }
      : { key: l.slice(0, at), value: l.slice(at + 1), secret };
  });
}

export function portOf(item: string) {
  const [pair = "", protocol] = item.split("/");
  const [container, host] = pair.split(":");
  return {
    container: Number(container),
    ...(host ? { host: Number(host) } : {}),
    protocol: protocol === "udp" ? ("udp" as const) : ("tcp" as const),
  };
}

function volumeOf(item: string) {
  const [source = "", target = "", mode] = item.split(":");
  return { source, target, readOnly: mode === "ro" };
}

const create = async (body: {
  account: string;
  node: string;
  image: string;
  name?: string;
  env: { key: string; value: string; secret: boolean }[];
  ports: { container: number; host?: number; protocol: "tcp" | "udp" }[];
  volumes: { source: string; target: string; readOnly: boolean }[];
  healthCheck?: { command: string[] };
}) => unwrap(await api.POST("/api/v1/apps", { body: body as never }));

export function AppForm({ account, onDone }: { account: string; onDone: () => void }) {
  const navigate = useNavigate();
  const choice = useNodeChoice();
  const [image, setImage] = useState("");
  const [name, setName] = useState("");
  const [env, setEnv] = useState("");
  const [secrets, setSecrets] = useState("");
  const [ports, setPorts] = useState("");
  const [volumes, setVolumes] = useState("");
  const [health, setHealth] = useState("");
  const save = useApiMutation((body: Body) => create(body), {
    invalidate: [["apps"]],
    onSuccess: (app) => navigate({ to: "/apps/$id", params: { id: app.id } }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      account,
      node: choice.node,
      image: image.trim(),
      ...(name.trim() ? { name: name.trim() } : {}),
      env: [...envOf(env, false), ...envOf(secrets, true)],
      ports: lines(ports.replaceAll(",", "\n")).map(portOf),
      volumes: lines(volumes.replaceAll(",", "\n")).map(volumeOf),
      ...(health.trim() ? { healthCheck: { command: health.trim().split(/\s+/) } } : {}),
    });
  };
  return (
    <Card title="New quick service">
      <form onSubmit={submit} className="grid gap-4 md:grid-cols-2">
        <Field label="Image" hint="name:tag or name@sha256:digest">
          <Input
            value={image}
            onChange={(e) => setImage(e.target.value)}
            required
            placeholder="excalidraw/excalidraw:latest"
          />
        </Field>
        <NodeField choice={choice} />
        <Field label="Name" hint="default: the image's, suffixed -2, -3… when the node has it">
          <Input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Ports" hint="container[:host][/udp], one per line; no host: a free one">
          <Textarea
            value={ports}
            onChange={(e) => setPorts(e.target.value)}
            rows={2}
            placeholder="8080"
          />
        </Field>
        <Field label="Environment" hint="KEY=value, one per line">
          <Textarea value={env} onChange={(e) => setEnv(e.target.value)} rows={3} />
        </Field>
        <Field label="Secret environment" hint="sealed; never shown again">
          <Textarea value={secrets} onChange={(e) => setSecrets(e.target.value)} rows={3} />
        </Field>
        <Field label="Volumes" hint="directory:/path/in/container[:ro], in the app's own directory">
          <Textarea
            value={volumes}
            onChange={(e) => setVolumes(e.target.value)}
            rows={2}
            placeholder="data:/data"
          />
        </Field>
        <Field label="Health check" hint="a command run in the container (no shell)">
          <Input
            value={health}
            onChange={(e) => setHealth(e.target.value)}
            placeholder="wget -q -O /dev/null http://127.0.0.1:8080/"
          />
        </Field>
        {save.error ? <ErrorAlert error={save.error} className="md:col-span-2" /> : null}
        <div className="md:col-span-2">
          <FormActions busy={save.isPending} submitLabel="Deploy" onCancel={onDone} />
        </div>
      </form>
    </Card>
  );
}
