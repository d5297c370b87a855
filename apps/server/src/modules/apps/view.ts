// An app's row (and its latest deployments) as the API answers it: secret variables by key
// only, the ports as the last successful deploy published them.
import type { agent } from "@steward/contracts";
import type { App, ContainerSpec } from "@steward/contracts/apps";
import { composeSpecOf } from "./compose-app.ts";
import type { GitSourceRow } from "./git-repo.ts";
import type * as repo from "./repo.ts";

/** An app's git source as answered: never its token or private key. */
export interface GitView {
  row: GitSourceRow;
  webhookUrl: string;
}

const iso = (ms: number | string | null) =>
  ms === null ? null : new Date(Number(ms)).toISOString();

export function toApp(
  row: repo.AppRow,
  deployments: repo.DeploymentRow[],
  secretKeys: string[],
  git: GitView | null = null,
): App {
  const published = JSON.parse(row.published) as agent.ContainerInfo["ports"];
  const compose = composeSpecOf(row);
  const spec: ContainerSpec = compose
    ? {
        image: row.image,
        env: compose.env,
        ports: published.map((p) => ({
          container: p.container,
          host: p.host,
          protocol: p.protocol,
        })),
        volumes: [],
        restart: "no",
        limits: {},
      }
    : (JSON.parse(row.spec) as ContainerSpec);
  return {
    id: row.id,
    accountId: row.account_id,
    nodeId: row.node_id,
    name: row.name,
    runtimeName: row.runtime_name,
    source: row.source,
    image: row.image,
    status: row.status,
    lastError: row.last_error,
    taskId: row.task_id,
    env: [
      ...Object.entries(spec.env).map(([key, value]) => ({ key, value, secret: false })),
      ...secretKeys.map((key) => ({ key, value: null, secret: true })),
    ],
    ports: spec.ports.map((p) => ({
      container: p.container,
      host:
        p.host ??
        published.find((x) => x.container === p.container && x.protocol === p.protocol)?.host ??
        null,
      protocol: p.protocol,
    })),
    volumes: spec.volumes,
    restart: spec.restart,
    limits: spec.limits,
    command: spec.command ?? null,
    healthCheck: spec.healthCheck ?? null,
    compose: compose && {
      file: compose.compose,
      services: compose.services,
      volumes: compose.volumes.map((v) => `${row.runtime_name}_${v}`),
      ingressService: compose.ingress ?? null,
    },
    deployments: deployments.map((d) => ({
      id: d.id,
      taskId: d.task_id,
      image: d.image,
      status: d.status,
      error: d.error,
      containers: JSON.parse(d.containers) as agent.ContainerInfo[],
      commit: d.commit_sha,
      imageId: d.image_id,
      trigger: d.trigger,
      createdAt: iso(d.created_at) as string,
      finishedAt: iso(d.finished_at),
    })),
    git: git && {
      url: git.row.url,
      ref: git.row.ref,
      dockerfile: compose?.repoFile ? null : git.row.dockerfile,
      compose: compose?.repoFile ?? null,
      auth: git.row.token_sealed ? "token" : git.row.deploy_key_sealed ? "key" : "none",
      publicKey: git.row.public_key,
      lastCommit: git.row.last_commit,
      webhookUrl: git.webhookUrl,
    },
    domain: row.domain,
    siteId: row.site_id,
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
  };
}
