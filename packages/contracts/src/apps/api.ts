// The apps API (docs/apps.md): quick services from an image, their deployments and
// containers, lifecycle actions, logs, stats, and a node's engine (containers, disk usage,
// prune). Env values of secret variables are write-only: answers carry their keys only.
import { z } from "zod";
import {
  containerInfo,
  engineDiskUsageOutput,
  enginePruneOutput,
  pruneTargets,
} from "../agent/containers.ts";
import { domain, id, text } from "../validators.ts";
import { appComposeInfo } from "./compose.ts";
import { appGitSource } from "./git.ts";
import { appName, containerSpec, envKey, envValue } from "./names.ts";

export const appEnvVar = z.strictObject({
  key: envKey,
  value: envValue,
  /** sealed with the master key; never answered */
  secret: z.boolean().default(false),
});

export const appCreate = z.strictObject({
  account: id,
  node: id,
  /** default: derived from the image (`excalidraw/excalidraw` -> `excalidraw`) */
  name: appName.optional(),
  ...containerSpec.omit({ env: true }).shape,
  env: z.array(appEnvVar).max(200, "must have at most 200 variables").default([]),
  /** served by a proxy site at this name (the app's first published TCP port as upstream) */
  domain: domain.optional(),
});
export type AppCreate = z.infer<typeof appCreate>;

export const appStatus = z.enum(["deploying", "running", "stopped", "failed"]);
/** what an app runs: an image (a quick service), one built from a git repository, or a stack */
export const appSource = z.enum(["image", "git", "compose"]);

export const appDeployment = z.object({
  id: z.string(),
  taskId: z.string().nullable(),
  image: z.string(),
  status: z.enum(["queued", "running", "succeeded", "failed"]),
  error: z.string().nullable(),
  containers: z.array(containerInfo),
  /** git apps: the commit built */
  commit: z.string().nullable(),
  /** the engine's id of the image it ran */
  imageId: z.string().nullable(),
  /** manual (create, deploy) or webhook (a push) */
  trigger: z.enum(["manual", "webhook"]),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const app = z.object({
  id: z.string(),
  accountId: z.string(),
  nodeId: z.string(),
  /** the account's name for it (unique among the account's apps on its node) */
  name: z.string(),
  /**
   * the node's name for it: its container's, compose project's and volumes' (the name and six
   * characters of the app's id; an app made before migration 094: its name)
   */
  runtimeName: z.string(),
  /** what it runs: an image (a quick service), one built from a git repository, or a stack */
  source: appSource,
  /** the image; a compose stack's images, comma-separated */
  image: z.string(),
  status: appStatus,
  lastError: z.string().nullable(),
  taskId: z.string().nullable(),
  env: z.array(z.object({ key: z.string(), value: z.string().nullable(), secret: z.boolean() })),
  ports: z.array(
    z.object({ container: z.number(), host: z.number().nullable(), protocol: z.string() }),
  ),
  volumes: z.array(z.object({ source: z.string(), target: z.string(), readOnly: z.boolean() })),
  restart: z.string(),
  limits: z.object({ memoryMb: z.number().optional(), cpus: z.number().optional() }),
  /** the container's command (an argv) instead of the image's; null: the image's */
  command: z.array(z.string()).nullable(),
  healthCheck: z
    .object({ command: z.array(z.string()) })
    .passthrough()
    .nullable(),
  /** a compose stack: its file, services and named volumes; null for a quick service */
  compose: appComposeInfo.nullable(),
  deployments: z.array(appDeployment),
  git: appGitSource.nullable(),
  /** the name a proxy site serves the app at, and that site once made */
  domain: z.string().nullable(),
  siteId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type App = z.infer<typeof app>;

/** The apps list's filters (newest first, paged by `limit` and `cursor`). */
export const appListQuery = z.strictObject({
  /** one account's apps (404 when the caller may not see it); without it, every app it sees */
  account: id.optional(),
  node: id.optional(),
  status: appStatus.optional(),
  source: appSource.optional(),
  /** part of the name */
  q: text(100).optional(),
});

export const appAction = z.enum(["start", "stop", "restart"]);
export const appRemoveQuery = z.strictObject({
  /** also remove the app's volumes (its directories on the node) */
  volumes: z.enum(["true", "false"]).default("false"),
});
export const appRemoved = z.object({ volumesRemoved: z.array(z.string()) });

export const appStatsSample = z.object({
  at: z.string(),
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  memoryLimitBytes: z.number(),
  netRxBytes: z.number(),
  netTxBytes: z.number(),
});
export const appStats = z.object({
  current: appStatsSample.nullable(),
  history: z.array(appStatsSample),
});

export const appLogsQuery = z.strictObject({
  /** only lines containing this text */
  filter: z.string().max(200).optional(),
  tail: z.coerce.number().int().min(1).max(5000).default(200),
});

export const nodeContainers = z.object({ items: z.array(containerInfo) });
export const nodeDiskUsage = engineDiskUsageOutput;
export const nodePrune = pruneTargets;
export const nodePruned = enginePruneOutput;
