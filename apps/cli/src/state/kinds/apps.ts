// Apps: `app/<node>--<name>.yaml` (an app's name is unique on its node) by source — a quick
// service's image, a git app's repository (url, ref, Dockerfile), a compose stack's file — with
// their variables, ports, volumes, restart policy, limits, command and health check. A secret
// variable's value and a git token are never exported (the panel never answers them): the file
// names the secrets apply takes them from. A compose stack's file changes in place (the panel
// deploys it again); everything else is fixed (the panel has no change of it). An app with a
// `domain` gets its proxy site from the panel at its deploy: that site is never a site file.
import type { App } from "@steward/contracts/apps";
import { type AppFile, appFileName, appSecret } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, nameOf, type Refs, type Secrets } from "../kind.ts";

/** Every app of the accounts the caller sees, each account's read page by page. */
export async function listApps(api: Api, accounts: Iterable<string>) {
  const out: App[] = [];
  for (const id of accounts) out.push(...(await api.all<App>(`/api/v1/apps?account=${id}`)));
  return out;
}

/** What a container app (image or git) runs with, as its file holds it. */
function containerOf(a: App) {
  return {
    ports: a.ports.map((p) => ({
      container: p.container,
      ...(p.host === null ? {} : { host: p.host }),
      protocol: p.protocol as "tcp" | "udp",
    })),
    volumes: a.volumes,
    restart: a.restart as Extract<AppFile, { source: "image" }>["restart"],
    limits: a.limits,
    ...(a.command ? { command: a.command } : {}),
    ...(a.healthCheck ? { healthCheck: a.healthCheck as never } : {}),
    domain: a.domain,
  };
}

function fileOf(a: App, refs: Refs): { name: string; file: AppFile } {
  const node = nameOf(refs.nodes, a.nodeId);
  const name = appFileName({ node, name: a.name });
  const env = Object.fromEntries(
    a.env.map((e) => [
      e.key,
      e.secret ? { secret: appSecret(name, `env/${e.key}`) } : (e.value ?? ""),
    ]),
  );
  const common = { name: a.name, account: nameOf(refs.accounts, a.accountId), node, env };
  if (a.source === "compose")
    return { name, file: { source: "compose", ...common, compose: a.compose?.file ?? "" } };
  if (a.source === "image")
    return { name, file: { source: "image", ...common, image: a.image, ...containerOf(a) } };
  const git = a.git as NonNullable<App["git"]>;
  return {
    name,
    file: {
      source: "git",
      ...common,
      git: {
        url: git.url,
        ref: git.ref,
        ...(git.compose
          ? { compose: git.compose }
          : { dockerfile: git.dockerfile ?? "Dockerfile" }),
        ...(git.auth === "token" ? { token: { secret: appSecret(name, "git-token") } } : {}),
      },
      ...containerOf(a),
      // a compose stack's ports and volumes are its file's
      ...(git.compose ? { ports: [], volumes: [] } : {}),
    },
  };
}

/** The secret references of a file: its secret variables and its git token. */
function secretsOf(f: AppFile) {
  const out: { field: string; name: string }[] = [];
  for (const [key, value] of Object.entries(f.env))
    if (typeof value !== "string") out.push({ field: `env.${key}`, name: value.secret });
  if (f.source === "git" && f.git.token) out.push({ field: "git.token", name: f.git.token.secret });
  return out;
}

/** The variables as the API takes them: secret ones with their values from `--secrets`. */
const envOf = (f: AppFile, secrets: Secrets) =>
  Object.entries(f.env).map(([key, value]) =>
    typeof value === "string"
      ? { key, value, secret: false }
      : { key, value: secrets.get(value.secret) ?? "", secret: true },
  );

export const apps: KindOps<"app"> = {
  kind: "app",
  fixed: [
    "source",
    "name",
    "account",
    "node",
    "env",
    "image",
    "git",
    "ports",
    "volumes",
    "restart",
    "limits",
    "command",
    "healthCheck",
    "domain",
  ],
  refers: (f) => [
    { field: "account", to: "account", name: f.account },
    { field: "node", to: "node", name: f.node },
  ],
  secrets: secretsOf,
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: AppFile }>();
    for (const a of await listApps(api, refs.accounts.values())) {
      const { name, file } = fileOf(a, refs);
      out.set(name, { id: a.id, file });
    }
    return out;
  },
  async create(api, refs, file, secrets) {
    const where = {
      account: idOf(refs.accounts, "account", file.account, "account"),
      node: idOf(refs.nodes, "node", file.node, "node"),
      name: file.name,
      env: envOf(file, secrets),
    };
    if (file.source === "compose") {
      await api.send("POST", "/api/v1/apps/compose", { ...where, compose: file.compose });
      return;
    }
    const body = {
      ...where,
      ports: file.ports,
      volumes: file.volumes,
      restart: file.restart,
      limits: file.limits,
      ...(file.command ? { command: file.command } : {}),
      ...(file.healthCheck ? { healthCheck: file.healthCheck } : {}),
      ...(file.domain === null ? {} : { domain: file.domain }),
    };
    if (file.source === "image") {
      await api.send("POST", "/api/v1/apps", { ...body, image: file.image });
      return;
    }
    const { token, ...git } = file.git;
    await api.send("POST", "/api/v1/apps/git", {
      ...body,
      git: { ...git, ...(token ? { token: secrets.get(token.secret) } : {}) },
    });
  },
  // only a compose stack's file changes in place (every other field is fixed)
  async update(api, _refs, current, file) {
    if (file.source === "compose")
      await api.send("PUT", `/api/v1/apps/${current.id}/compose`, { compose: file.compose });
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/apps/${current.id}`);
  },
};
