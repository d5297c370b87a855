// The parts of an app's page for its source and ingress and its deployments: a git app's
// repository, ref, Dockerfile, the commit it runs, its deploy key's public half and webhook
// (the secret read on demand, for the app's admins); the domain and the site serving it; and
// each deployment with its commit, trigger and image, its build and deploy log inline.
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatRelative } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { type AppInfo, AppStatus } from "./apps-parts.tsx";
import { LatestTask } from "./site-task.tsx";

const short = (s: string | null | undefined, n = 12) =>
  s ? s.replace(/^sha256:/, "").slice(0, n) : "";

export function AppSource({ app }: { app: AppInfo }) {
  const git = app.git;
  const secret = useApiMutation(async () =>
    unwrap(await api.GET("/api/v1/apps/{id}/webhook", { params: { path: { id: app.id } } })),
  );
  if (!git && !app.domain) return null;
  return (
    <Card title={git ? "Source and ingress" : "Ingress"}>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        {git ? (
          <>
            <dt className="text-fg-muted">Repository</dt>
            <dd className="font-mono text-xs break-all">{git.url}</dd>
            <dt className="text-fg-muted">Ref</dt>
            <dd className="font-mono text-xs">{git.ref}</dd>
            <dt className="text-fg-muted">{git.compose ? "Compose file" : "Dockerfile"}</dt>
            <dd className="font-mono text-xs">{git.compose ?? git.dockerfile}</dd>
            <dt className="text-fg-muted">Running commit</dt>
            <dd className="font-mono text-xs">{short(git.lastCommit, 40) || "none yet"}</dd>
            {git.publicKey ? (
              <>
                <dt className="text-fg-muted">Deploy key</dt>
                <dd className="font-mono text-xs break-all">{git.publicKey}</dd>
              </>
            ) : null}
            <dt className="text-fg-muted">Webhook</dt>
            <dd className="grid gap-1">
              <span className="font-mono text-xs break-all">{git.webhookUrl}</span>
              {secret.data ? (
                <span className="font-mono text-xs break-all">secret {secret.data.secret}</span>
              ) : (
                <Button
                  variant="secondary"
                  className="justify-self-start"
                  onClick={() => secret.mutate(undefined)}
                  busy={secret.isPending}
                >
                  Show the webhook secret
                </Button>
              )}
            </dd>
          </>
        ) : null}
        <dt className="text-fg-muted">Domain</dt>
        <dd>
          {app.domain ?? "none"}
          {app.siteId ? (
            <>
              {" "}
              <Link
                to="/sites/$id"
                params={{ id: app.siteId }}
                className="text-primary hover:underline"
              >
                its site
              </Link>
            </>
          ) : null}
        </dd>
        {app.compose?.ingressService ? (
          <>
            <dt className="text-fg-muted">Service</dt>
            <dd className="font-mono text-xs">{app.compose.ingressService}</dd>
          </>
        ) : null}
      </dl>
      {secret.error ? <ErrorAlert error={secret.error} /> : null}
    </Card>
  );
}

export function Deployments({ app }: { app: AppInfo }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card title="Deployments">
      <ul className="grid gap-2 text-sm">
        {app.deployments.map((d) => (
          <li key={d.id} className="grid gap-1">
            <div className="flex flex-wrap items-center gap-2">
              <AppStatus status={d.status} />
              {d.commit ? <span className="font-mono text-xs">{short(d.commit, 8)}</span> : null}
              <span className="text-fg-muted">
                {d.trigger === "webhook" ? "by a push" : "by hand"}, {formatRelative(d.createdAt)}
              </span>
              {d.imageId ? (
                <span className="font-mono text-xs text-fg-muted">image {short(d.imageId)}</span>
              ) : null}
              {d.taskId ? (
                <Button
                  variant="ghost"
                  onClick={() => setOpen(open === d.id ? null : d.id)}
                  aria-expanded={open === d.id}
                >
                  {open === d.id ? "Hide the log" : app.git ? "Build log" : "Log"}
                </Button>
              ) : null}
            </div>
            {d.error ? <span className="text-danger">{d.error}</span> : null}
            {open === d.id && d.taskId ? <LatestTask taskId={d.taskId} /> : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
