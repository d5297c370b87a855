// A site's "Protection" card (static and PHP sites): the paths that ask for a user and password
// (HTTP basic auth), their users by name, a form protecting a path with a user, and removing a
// path's protection. Passwords go to the API only; nothing shows them again.
import { useQuery } from "@tanstack/react-query";
import { Lock, Trash2 } from "lucide-react";
import { type FormEvent, useState } from "react";
import { TextField } from "../components/text-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { Site } from "./hosting-parts.tsx";

type Paths = { path: string; users: { name: string; password?: string }[] }[];

export function SiteProtectionCard({ site }: { site: Site }) {
  const path = { params: { path: { id: site.id } } };
  const query = useQuery({
    queryKey: ["site", site.id, "protection"],
    queryFn: async () => unwrap(await api.GET("/api/v1/sites/{id}/protection", path)),
  });
  const save = useApiMutation(
    async (paths: Paths) =>
      unwrap(await api.PUT("/api/v1/sites/{id}/protection", { ...path, body: { paths } })),
    {
      invalidate: [["site", site.id], ["sites"], ["tasks"]],
      onSuccess: () => {
        setForm({ path: "", name: "", password: "" });
      },
    },
  );
  const [form, setForm] = useState({ path: "", name: "", password: "" });
  const current = query.data?.paths ?? [];
  /** the stored paths as the API takes them back: users without a password keep theirs */
  const kept = (except?: string): Paths =>
    current
      .filter((p) => p.path !== except)
      .map((p) => ({ path: p.path, users: p.users.map((name) => ({ name })) }));
  // the form's path and user come last in the list it sends: their errors are shown at them
  const same = current.find((p) => p.path === form.path);
  const others = (same?.users ?? []).filter((n) => n !== form.name).map((name) => ({ name }));
  const at = `paths.${current.filter((p) => p.path !== form.path).length}`;
  const fields = {
    path: `${at}.path`,
    name: `${at}.users.${others.length}.name`,
    password: `${at}.users.${others.length}.password`,
  };
  const err = (f: keyof typeof fields) => fieldError(save.error, fields[f]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate([
      ...kept(form.path),
      { path: form.path, users: [...others, { name: form.name, password: form.password }] },
    ]);
  };
  return (
    <Card title="Protection">
      <p className="mb-3 text-sm text-fg-muted">
        Paths that ask for a user and password (HTTP basic auth) before anything below them is
        served, PHP included.
      </p>
      {current.length ? (
        <ul className="mb-4 grid gap-2">
          {current.map((p) => (
            <li
              key={p.path}
              className="flex items-center justify-between gap-2 rounded border border-border p-2"
            >
              <span className="min-w-0">
                <span className="flex items-center gap-1 font-mono text-sm break-all">
                  <Lock className="h-3.5 w-3.5 shrink-0" aria-hidden="true" />
                  {p.path}
                </span>
                <span className="text-xs text-fg-muted">{p.users.join(", ")}</span>
              </span>
              <Button
                variant="secondary"
                aria-label={`Remove ${p.path}`}
                busy={save.isPending}
                onClick={() => save.mutate(kept(p.path))}
              >
                <Trash2 className="h-4 w-4" aria-hidden="true" /> Remove
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mb-4 text-sm text-fg-muted">No protected paths: the whole site is open.</p>
      )}
      <form className="grid items-start gap-3 sm:grid-cols-3" onSubmit={submit}>
        <TextField
          label="Path"
          hint="a prefix, e.g. /admin"
          code
          value={form.path}
          error={err("path")}
          onValue={(v) => setForm({ ...form, path: v })}
        />
        <TextField label="User" value={form.name} onValue={(v) => setForm({ ...form, name: v })} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="10 characters or more"
          value={form.password}
          error={err("password")}
          onValue={(v) => setForm({ ...form, password: v })}
        />
        <div className="sm:col-span-3 flex justify-end">
          <Button type="submit" busy={save.isPending} disabled={!form.path || !form.name}>
            Protect path
          </Button>
        </div>
      </form>
      <ErrorAlert error={unshownError(save.error, Object.values(fields))} className="mt-3" />
    </Card>
  );
}
